package io.contrastream.eval.aggregate;

import io.contrastream.eval.metrics.AccuracyMatrix;
import io.contrastream.schemas.MetricRecord;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The "cl-accuracy" values of one run: cell (row = task of the checkpoint, column = label {@code task}) at a
 * step. When several checkpoints of the same task carry a cell, the one with the highest step is the matrix entry.
 *
 * @param runId run
 * @param cells cell key {@code row/column/step} to cell
 */
public record ContinualCells(String runId, Map<String, Cell> cells) {

    /**
     * One value.
     *
     * @param row    task of the checkpoint (trained through)
     * @param column task evaluated
     * @param step   checkpoint step
     * @param value  accuracy
     */
    public record Cell(int row, int column, long step, double value) {
    }

    /** Copies the cells. */
    public ContinualCells {
        cells = new TreeMap<>(cells);
    }

    /** Empty (aggregation initialiser). */
    public static ContinualCells empty() {
        return new ContinualCells("", Map.of());
    }

    /** The cell of a cl-accuracy record. */
    public static Cell cellOf(MetricRecord r) {
        return new Cell(r.getTaskId(), Integer.parseInt(r.getLabels().get("task")), r.getStep(), r.getValue());
    }

    /** Copy with the cell of {@code r} added. */
    public ContinualCells add(MetricRecord r) {
        Cell c = cellOf(r);
        TreeMap<String, Cell> next = new TreeMap<>(cells);
        next.put(c.row() + "/" + c.column() + "/" + c.step(), c);
        return new ContinualCells(r.getRunId(), next);
    }

    /** Copy with the cell of {@code r} removed. */
    public ContinualCells remove(MetricRecord r) {
        Cell c = cellOf(r);
        TreeMap<String, Cell> next = new TreeMap<>(cells);
        next.remove(c.row() + "/" + c.column() + "/" + c.step());
        return new ContinualCells(r.getRunId(), next);
    }

    /** The matrix, rows 0..max row (NaN where not evaluated), sized max(row, column) + 1 tasks. */
    public AccuracyMatrix matrix() {
        int tasks = 1;
        int lastRow = -1;
        for (Cell c : cells.values()) {
            tasks = Math.max(tasks, Math.max(c.row(), c.column()) + 1);
            lastRow = Math.max(lastRow, c.row());
        }
        double[][] rows = new double[lastRow + 1][tasks];
        long[][] steps = new long[lastRow + 1][tasks];
        for (int i = 0; i <= lastRow; i++) {
            Arrays.fill(rows[i], Double.NaN);
            Arrays.fill(steps[i], Long.MIN_VALUE);
        }
        for (Cell c : cells.values()) {
            if (c.step() > steps[c.row()][c.column()]) {
                steps[c.row()][c.column()] = c.step();
                rows[c.row()][c.column()] = c.value();
            }
        }
        AccuracyMatrix m = AccuracyMatrix.empty(tasks);
        for (double[] row : rows) {
            m = m.withRow(row);
        }
        return m;
    }

    /** Highest step among the cells of the last row, -1 when empty. */
    public long lastRowStep() {
        int lastRow = cells.values().stream().mapToInt(Cell::row).max().orElse(-1);
        return cells.values().stream().filter(c -> c.row() == lastRow).mapToLong(Cell::step).max().orElse(-1);
    }

    /** Index of the last row, -1 when empty. */
    public int lastRow() {
        return cells.values().stream().mapToInt(Cell::row).max().orElse(-1);
    }
}
