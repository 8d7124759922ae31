package io.contrastream.eval.aggregate;

import io.contrastream.eval.MetricKeys;
import io.contrastream.eval.metrics.AccuracyMatrix;
import io.contrastream.schemas.MetricRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Read-only queries over the {@link MetricsAggregator}'s stores, as plain records (what the HTTP API serves).
 */
public final class MetricsQueries {

    /** Gives a store by name (KafkaStreams interactive queries, or a TopologyTestDriver in tests). */
    public interface StoreProvider {
        /** The key-value store {@code name}. */
        <V> ReadOnlyKeyValueStore<String, V> store(String name);
    }

    /**
     * One latest metric value.
     *
     * @param key       metric key
     * @param runId     run
     * @param step      step
     * @param taskId    task, -1 when absent
     * @param metric    metric name
     * @param labels    labels
     * @param split     split
     * @param value     value (NaN for failures)
     * @param status    OK or EVALUATION_FAILED
     * @param createdAt epoch millis of publication
     */
    public record MetricView(String key, String runId, long step, int taskId, String metric,
                             Map<String, String> labels, String split, double value, String status, long createdAt) {
        static MetricView of(String key, MetricRecord r) {
            return new MetricView(key, r.getRunId(), r.getStep(), r.getTaskId() == null ? -1 : r.getTaskId(),
                    r.getMetric(), Map.copyOf(r.getLabels()), r.getSplit(), r.getValue(), r.getStatus().name(),
                    r.getCreatedAt().toEpochMilli());
        }

        /** The series name, {@code metric[label=value,...]}. */
        public String series() {
            return MetricKeys.series(metric, labels);
        }
    }

    /**
     * A run's accuracy matrix and its summary metrics (null when undefined, e.g. forgetting with one row).
     *
     * @param runId            run
     * @param tasks            columns
     * @param rows             R[i][j], NaN where not evaluated
     * @param averageAccuracy  A_T
     * @param forgetting       F_T
     * @param backwardTransfer BWT
     * @param lastStep         step of the last row's checkpoint
     */
    public record AccuracyMatrixView(String runId, int tasks, List<List<Double>> rows, Double averageAccuracy,
                                     Double forgetting, Double backwardTransfer, long lastStep) {
    }

    private final StoreProvider stores;
    private final List<String> leaderboardMetrics;

    /**
     * @param stores             store access
     * @param leaderboardMetrics metrics with a leaderboard
     */
    public MetricsQueries(StoreProvider stores, List<String> leaderboardMetrics) {
        this.stores = stores;
        this.leaderboardMetrics = List.copyOf(leaderboardMetrics);
    }

    /** Every run with at least one value, by run id. */
    public List<RunSummary> runs() {
        List<RunSummary> out = new ArrayList<>();
        ReadOnlyKeyValueStore<String, RunSummary> store = stores.store(MetricsAggregator.RUNS_STORE);
        try (KeyValueIterator<String, RunSummary> it = store.all()) {
            while (it.hasNext()) {
                RunSummary s = it.next().value;
                if (s != null && s.values() > 0) {
                    out.add(s);
                }
            }
        }
        out.sort(Comparator.comparing(RunSummary::runId));
        return out;
    }

    /** Latest values of {@code runId}, by key. */
    public List<MetricView> metrics(String runId) {
        List<MetricView> out = new ArrayList<>();
        ReadOnlyKeyValueStore<String, MetricRecord> store = stores.store(MetricsAggregator.LATEST_STORE);
        try (KeyValueIterator<String, MetricRecord> it = store.prefixScan(MetricKeys.runPrefix(runId),
                new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, MetricRecord> kv = it.next();
                if (kv.value != null) {
                    out.add(MetricView.of(kv.key, kv.value));
                }
            }
        }
        return out;
    }

    /** The latest value under {@code key}. */
    public Optional<MetricView> metric(String key) {
        ReadOnlyKeyValueStore<String, MetricRecord> store = stores.store(MetricsAggregator.LATEST_STORE);
        return Optional.ofNullable(store.get(key)).map(r -> MetricView.of(key, r));
    }

    /** The accuracy matrix of {@code runId}, empty when it has no cl-accuracy values. */
    public Optional<AccuracyMatrixView> accuracyMatrix(String runId) {
        ReadOnlyKeyValueStore<String, ContinualCells> store = stores.store(MetricsAggregator.MATRIX_STORE);
        ContinualCells cells = store.get(runId);
        if (cells == null || cells.cells().isEmpty()) {
            return Optional.empty();
        }
        AccuracyMatrix m = cells.matrix();
        List<List<Double>> rows = new ArrayList<>();
        for (int i = 0; i < m.rowCount(); i++) {
            List<Double> row = new ArrayList<>();
            for (int j = 0; j < m.taskCount(); j++) {
                row.add(m.get(i, j));
            }
            rows.add(row);
        }
        return Optional.of(new AccuracyMatrixView(runId, m.taskCount(), rows, boxed(m.averageAccuracy()),
                boxed(m.forgetting()), boxed(m.backwardTransfer()), cells.lastRowStep()));
    }

    /** Metrics that have leaderboards (each series of such a metric gets its own boards). */
    public List<String> leaderboardMetrics() {
        return leaderboardMetrics;
    }

    /**
     * Every series with a non-empty leaderboard, in {@link #leaderboardMetrics()} order, within a metric exact series
     * (no {@value Leaderboard#SAMPLED_LABEL} label) before sampled ones, then by name.
     */
    public List<String> leaderboardSeries() {
        return boards().stream().sorted(boardOrder()).map(Leaderboard::series).distinct().toList();
    }

    /**
     * The series of {@code metric} with a non-empty leaderboard, exact series first (see {@link #leaderboardSeries()}).
     */
    public List<String> leaderboardSeries(String metric) {
        return boards().stream().filter(b -> b.metric().equals(metric)).sorted(boardOrder())
                .map(Leaderboard::series).distinct().toList();
    }

    /**
     * Leaderboards of one series ({@code metric[label=value,...]} as in {@link MetricKeys#series}, e.g.
     * {@code recall@1} for the exact values, {@code recall@1[queries=2000]} for the fast suite's estimates), one per
     * run, runs ordered by their best value (descending); empty when no run has a value of {@code series} (see
     * {@link #leaderboardSeries()}).
     */
    public Optional<List<Leaderboard>> leaderboard(String series) {
        List<Leaderboard> out = new ArrayList<>();
        ReadOnlyKeyValueStore<String, Leaderboard> store = stores.store(MetricsAggregator.LEADERBOARD_STORE);
        try (KeyValueIterator<String, Leaderboard> it = store.prefixScan(MetricsAggregator.leaderboardPrefix(series),
                new StringSerializer())) {
            while (it.hasNext()) {
                Leaderboard board = it.next().value;
                if (board != null && board.best().isPresent()) {
                    out.add(board);
                }
            }
        }
        if (out.isEmpty()) {
            return Optional.empty();
        }
        out.sort(Comparator.comparingDouble((Leaderboard b) -> b.best().orElseThrow().value()).reversed()
                .thenComparing(Leaderboard::runId));
        return Optional.of(out);
    }

    /**
     * The non-empty leaderboards of {@code runId} for {@code metric}, one per series, exact series first (see
     * {@link #leaderboardSeries()}).
     */
    public List<Leaderboard> leaderboards(String runId, String metric) {
        return boards().stream().filter(b -> b.runId().equals(runId) && b.metric().equals(metric))
                .sorted(boardOrder()).toList();
    }

    /**
     * The boards a run's "best {@code metric}" is read from: the run's boards of exact series of {@code metric} when
     * it has any, otherwise its boards of sampled-query series (estimates); one per series, exact first. An
     * estimate is never reported as a run's best when an exact value of the metric exists.
     */
    public List<Leaderboard> preferredLeaderboards(String runId, String metric) {
        List<Leaderboard> all = leaderboards(runId, metric);
        List<Leaderboard> exact = all.stream().filter(b -> !b.sampled()).toList();
        return exact.isEmpty() ? all : exact;
    }

    private List<Leaderboard> boards() {
        List<Leaderboard> out = new ArrayList<>();
        ReadOnlyKeyValueStore<String, Leaderboard> store = stores.store(MetricsAggregator.LEADERBOARD_STORE);
        try (KeyValueIterator<String, Leaderboard> it = store.all()) {
            while (it.hasNext()) {
                Leaderboard board = it.next().value;
                if (board != null && board.best().isPresent()) {
                    out.add(board);
                }
            }
        }
        return out;
    }

    /** Configured metric order, then exact before sampled series, then series name, then run. */
    private Comparator<Leaderboard> boardOrder() {
        return Comparator.comparingInt((Leaderboard b) -> leaderboardMetrics.indexOf(b.metric()))
                .thenComparing(Leaderboard::sampled).thenComparing(Leaderboard::series)
                .thenComparing(Leaderboard::runId);
    }

    private static Double boxed(OptionalDouble v) {
        return v.isPresent() ? v.getAsDouble() : null;
    }
}
