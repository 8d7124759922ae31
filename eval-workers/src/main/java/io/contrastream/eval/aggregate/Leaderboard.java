package io.contrastream.eval.aggregate;

import io.contrastream.eval.MetricKeys;
import io.contrastream.schemas.MetricRecord;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The checkpoints of one run ranked by one series (higher is better): every evaluated step's latest value.
 *
 * <p>A board ranks one series only, a metric with all its labels ({@code recall@1}, {@code recall@1[queries=2000]},
 * {@code knn-accuracy[k=200,tau=0.07]}): values of different series are different quantities (an estimate over a
 * sample of queries is not the exact value, a k=20 kNN accuracy is not a k=200 one), so they are never ranked
 * against each other.
 *
 * @param runId   run
 * @param metric  metric name of the series
 * @param series  ranked series, {@code metric[label=value,...]} as in {@link MetricKeys#series}
 * @param entries entry key (step) to entry
 */
public record Leaderboard(String runId, String metric, String series, Map<String, Entry> entries) {

    /** Label of a value estimated on a sample of test queries (fast suite); series without it are exact. */
    public static final String SAMPLED_LABEL = "queries";

    /**
     * One checkpoint's value.
     *
     * @param step   checkpoint step
     * @param taskId task of the checkpoint, -1 when unknown
     * @param series metric with its labels ({@code metric[label=value,...]}), the board's series
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
        return new Leaderboard("", "", "", Map.of());
    }

    /** The series {@code r} belongs to, the board it is ranked on. */
    public static String seriesOf(MetricRecord r) {
        return MetricKeys.series(r.getMetric(), r.getLabels());
    }

    /** Whether {@code r} is an estimate over sampled queries (carries {@value #SAMPLED_LABEL}). */
    public static boolean isSampled(MetricRecord r) {
        return r.getLabels().containsKey(SAMPLED_LABEL);
    }

    /** Whether this board ranks estimates over sampled queries rather than exact values. */
    public boolean sampled() {
        return series.contains("[" + SAMPLED_LABEL + "=") || series.contains("," + SAMPLED_LABEL + "=");
    }

    private static Entry entryOf(MetricRecord r) {
        return new Entry(r.getStep(), r.getTaskId() == null ? -1 : r.getTaskId(), seriesOf(r), r.getValue());
    }

    /**
     * Copy with {@code r} added.
     *
     * @throws IllegalArgumentException if {@code r} belongs to another run or series than the board's entries
     */
    public Leaderboard add(MetricRecord r) {
        Entry e = entryOf(r);
        if (!entries.isEmpty() && (!e.series().equals(series) || !r.getRunId().equals(runId))) {
            throw new IllegalArgumentException("leaderboard of run '" + runId + "', series '" + series
                    + "' cannot rank " + MetricKeys.of(r) + ": boards are keyed by series and run");
        }
        TreeMap<String, Entry> next = new TreeMap<>(entries);
        next.put(Long.toString(e.step()), e);
        return new Leaderboard(r.getRunId(), r.getMetric(), e.series(), next);
    }

    /** Copy with {@code r} removed. */
    public Leaderboard remove(MetricRecord r) {
        TreeMap<String, Entry> next = new TreeMap<>(entries);
        next.remove(Long.toString(r.getStep()));
        return new Leaderboard(r.getRunId(), r.getMetric(), seriesOf(r), next);
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
