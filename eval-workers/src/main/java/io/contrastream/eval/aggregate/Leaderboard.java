package io.contrastream.eval.aggregate;

import io.contrastream.schemas.MetricRecord;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The checkpoints of one run ranked by one metric (higher is better): every evaluated step's latest value.
 *
 * @param runId   run
 * @param metric  ranked metric
 * @param entries entry key {@code step/series} to entry
 */
public record Leaderboard(String runId, String metric, Map<String, Entry> entries) {

    /**
     * One checkpoint's value.
     *
     * @param step   checkpoint step
     * @param taskId task of the checkpoint, -1 when unknown
     * @param series metric with its labels ({@code metric[label=value,...]})
     * @param value  value
     */
    public record Entry(long step, int taskId, String series, double value) {
    }

    /** Copies the entries. */
    public Leaderboard {
        entries = new TreeMap<>(entries);
    }

    /** Empty (aggregation initialiser). */
    public static Leaderboard empty() {
        return new Leaderboard("", "", Map.of());
    }

    private static Entry entryOf(MetricRecord r) {
        return new Entry(r.getStep(), r.getTaskId() == null ? -1 : r.getTaskId(),
                io.contrastream.eval.MetricKeys.series(r.getMetric(), r.getLabels()), r.getValue());
    }

    /** Copy with {@code r} added. */
    public Leaderboard add(MetricRecord r) {
        Entry e = entryOf(r);
        TreeMap<String, Entry> next = new TreeMap<>(entries);
        next.put(e.step() + "/" + e.series(), e);
        return new Leaderboard(r.getRunId(), r.getMetric(), next);
    }

    /** Copy with {@code r} removed. */
    public Leaderboard remove(MetricRecord r) {
        Entry e = entryOf(r);
        TreeMap<String, Entry> next = new TreeMap<>(entries);
        next.remove(e.step() + "/" + e.series());
        return new Leaderboard(r.getRunId(), r.getMetric(), next);
    }

    /** Entries best first (ties: earlier step first). */
    public List<Entry> ranked() {
        return entries.values().stream().sorted(Comparator.comparingDouble(Entry::value).reversed()
                .thenComparingLong(Entry::step)).toList();
    }

    /** The best checkpoint. */
    public Optional<Entry> best() {
        return ranked().stream().findFirst();
    }
}
