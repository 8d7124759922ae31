package io.contrastream.eval.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Continual-learning accuracy matrix {@code R[i][j]} = accuracy on task j after training task i (0-based), filled
 * one row per finished task. Immutable: {@link #withRow} returns a new matrix. Entries not evaluated are NaN.
 * With T the index of the last row:
 * <ul>
 *   <li>average accuracy {@code A_T = mean_{j<=T} R[T][j]} (Chaudhry, Dokania, Ajanthan, Torr, "Riemannian Walk for
 *       Incremental Learning", ECCV 2018, Eq. 6);</li>
 *   <li>forgetting {@code F_T = mean_{j<T} (max_{l<T} R[l][j] - R[T][j])} (Chaudhry et al. 2018, Eq. 7-8);</li>
 *   <li>backward transfer {@code BWT = mean_{j<T} (R[T][j] - R[j][j])} and forward transfer
 *       {@code FWT = mean_{1<=j<=T} (R[j-1][j] - b_j)}, b the accuracies of a randomly initialised model (Lopez-Paz
 *       and Ranzato, "Gradient Episodic Memory for Continual Learning", NeurIPS 2017, Sec. 3);</li>
 *   <li>learning accuracy {@code LA = mean_{j<=T} R[j][j]} (Riemer et al., "Learning to Learn without Forgetting
 *       by Maximizing Transfer and Minimizing Interference", ICLR 2019).</li>
 * </ul>
 * Metrics that need at least two rows, or a baseline, or entries that are NaN, are empty rather than NaN.
 */
public final class AccuracyMatrix {

    private final int tasks;
    private final List<double[]> rows;
    private final double[] baseline;

    private AccuracyMatrix(int tasks, List<double[]> rows, double[] baseline) {
        this.tasks = tasks;
        this.rows = rows;
        this.baseline = baseline;
    }

    /** An empty matrix for {@code tasks} tasks, without an FWT baseline. */
    public static AccuracyMatrix empty(int tasks) {
        if (tasks < 1) {
            throw new IllegalArgumentException("AccuracyMatrix: tasks " + tasks + " must be >= 1");
        }
        return new AccuracyMatrix(tasks, List.of(), null);
    }

    /** Copy with baseline accuracies b_j of a randomly initialised model, one per task, for FWT. */
    public AccuracyMatrix withBaseline(double[] b) {
        if (b.length != tasks) {
            throw new IllegalArgumentException("AccuracyMatrix baseline has " + b.length + " entries but there are "
                    + tasks + " tasks");
        }
        return new AccuracyMatrix(tasks, rows, b.clone());
    }

    /**
     * Copy with the next row appended: accuracies on every task after training task {@link #rowCount()}; NaN for
     * tasks not evaluated. A shorter row is padded with NaN.
     */
    public AccuracyMatrix withRow(double[] accuracies) {
        if (rows.size() >= tasks) {
            throw new IllegalStateException("AccuracyMatrix already has all " + tasks + " rows");
        }
        if (accuracies.length > tasks) {
            throw new IllegalArgumentException("AccuracyMatrix row " + rows.size() + " has " + accuracies.length
                    + " entries but there are only " + tasks + " tasks");
        }
        double[] row = new double[tasks];
        Arrays.fill(row, Double.NaN);
        System.arraycopy(accuracies, 0, row, 0, accuracies.length);
        List<double[]> next = new ArrayList<>(rows);
        next.add(row);
        return new AccuracyMatrix(tasks, List.copyOf(next), baseline);
    }

    /** Number of tasks the matrix is sized for. */
    public int taskCount() {
        return tasks;
    }

    /** Rows filled so far. */
    public int rowCount() {
        return rows.size();
    }

    /** R[i][j], NaN when not evaluated or when row i is not yet added. */
    public double get(int i, int j) {
        if (j < 0 || j >= tasks || i < 0) {
            throw new IndexOutOfBoundsException("AccuracyMatrix entry (" + i + ", " + j + ") outside " + tasks
                    + " tasks");
        }
        return i < rows.size() ? rows.get(i)[j] : Double.NaN;
    }

    /** Average accuracy after the last added task over tasks 0..T. */
    public OptionalDouble averageAccuracy() {
        int t = rows.size() - 1;
        if (t < 0) {
            return OptionalDouble.empty();
        }
        return mean(t + 1, j -> get(t, j));
    }

    /** Average forgetting after the last added task. */
    public OptionalDouble forgetting() {
        int t = rows.size() - 1;
        if (t < 1) {
            return OptionalDouble.empty();
        }
        return mean(t, j -> {
            double best = Double.NaN;
            for (int l = 0; l < t; l++) {
                double v = get(l, j);
                if (!Double.isNaN(v) && (Double.isNaN(best) || v > best)) {
                    best = v;
                }
            }
            return best - get(t, j);
        });
    }

    /** Backward transfer after the last added task. */
    public OptionalDouble backwardTransfer() {
        int t = rows.size() - 1;
        if (t < 1) {
            return OptionalDouble.empty();
        }
        return mean(t, j -> get(t, j) - get(j, j));
    }

    /** Forward transfer; empty without a baseline or with fewer than two rows. */
    public OptionalDouble forwardTransfer() {
        int t = rows.size() - 1;
        if (t < 1 || baseline == null) {
            return OptionalDouble.empty();
        }
        return mean(t, j -> get(j, j + 1) - baseline[j + 1]);
    }

    /** Learning accuracy: mean of the diagonal so far. */
    public OptionalDouble learningAccuracy() {
        int t = rows.size() - 1;
        if (t < 0) {
            return OptionalDouble.empty();
        }
        return mean(t + 1, j -> get(j, j));
    }

    private static OptionalDouble mean(int count, java.util.function.IntToDoubleFunction term) {
        double sum = 0;
        for (int j = 0; j < count; j++) {
            double v = term.applyAsDouble(j);
            if (Double.isNaN(v)) {
                return OptionalDouble.empty();
            }
            sum += v;
        }
        return OptionalDouble.of(sum / count);
    }
}
