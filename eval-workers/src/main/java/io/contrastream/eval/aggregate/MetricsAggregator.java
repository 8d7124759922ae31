package io.contrastream.eval.aggregate;

import com.sun.net.httpserver.HttpServer;
import io.contrastream.eval.MetricKeys;
import io.contrastream.eval.aggregate.internal.HttpApi;
import io.contrastream.eval.aggregate.internal.JsonSerde;
import io.contrastream.eval.metrics.AccuracyMatrix;
import io.contrastream.infra.EventTopics;
import io.contrastream.infra.KafkaClientConfigs;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.schemas.MetricRecord;
import io.contrastream.schemas.MetricStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams application turning the metrics topic into queryable tables:
 * <ol>
 *   <li>{@value #LATEST_STORE}: the latest {@link MetricRecord} per key ({@link MetricKeys}), so a re-published
 *       value replaces the old one; {@value #RUNS_STORE}: a {@link RunSummary} per run over that table;</li>
 *   <li>{@value #MATRIX_STORE}: per run, the continual-learning accuracy matrix from "cl-accuracy" records (row =
 *       task of the checkpoint, column = label task) as {@link ContinualCells}; its average accuracy, forgetting
 *       and backward transfer ({@link AccuracyMatrix}) go to the metrics-summary topic as metrics
 *       "cl-avg-accuracy", "cl-forgetting", "cl-bwt" (step and task of the last row's checkpoint);</li>
 *   <li>{@value #LEADERBOARD_STORE}: per (series, run) a {@link Leaderboard} of checkpoints for every series of
 *       each configured leaderboard metric, keyed {@code series/run/} ({@link #leaderboardKey}): a series is the
 *       metric with its labels, so the fast suite's estimates over sampled queries ({@code recall@1[queries=2000]})
 *       and the exact values ({@code recall@1}) are ranked on separate boards, never against each other.</li>
 * </ol>
 * The topology is a pure function of the config ({@link #buildTopology}); {@link #start} wires the runtime
 * (exactly_once_v2) and the HTTP API. Interactive queries read this instance's local stores only: run one
 * aggregator instance per deployment (or one per metrics partition and query each).
 */
public final class MetricsAggregator implements AutoCloseable {

    /** Latest value per metric key. */
    public static final String LATEST_STORE = "metrics-latest";
    /** Run summaries. */
    public static final String RUNS_STORE = "metrics-runs";
    /** Continual-learning accuracy cells per run. */
    public static final String MATRIX_STORE = "cl-accuracy-matrix";
    /**
     * Leaderboards per series and run. (Named apart from the former per-(metric, run) store "leaderboards", whose
     * boards mixed sampled and exact values, so an upgraded aggregator never reads those back from a changelog.)
     */
    public static final String LEADERBOARD_STORE = "series-leaderboards";

    /** The metric whose values fill {@value #MATRIX_STORE}. */
    public static final String CL_ACCURACY = "cl-accuracy";

    private static final Logger LOG = LoggerFactory.getLogger(MetricsAggregator.class);

    private final KafkaStreams streams;
    private final MetricsQueries queries;
    private final HttpServer http;

    private MetricsAggregator(KafkaStreams streams, MetricsQueries queries, HttpServer http) {
        this.streams = streams;
        this.queries = queries;
        this.http = http;
    }

    /** The topology; pure, so it is unit-tested with {@code TopologyTestDriver}. */
    public static Topology buildTopology(AggregatorConfig config) {
        EventTopics topics = new EventTopics(config.catalog());
        Serde<String> keys = Serdes.String();
        Serde<MetricRecord> records = topics.metrics().valueSerde();
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, MetricRecord> latest = builder.table(topics.metrics().name(), Consumed.with(keys, records),
                Materialized.<String, MetricRecord, KeyValueStore<Bytes, byte[]>>as(LATEST_STORE)
                        .withKeySerde(keys).withValueSerde(records));

        latest.groupBy((key, r) -> KeyValue.pair(r.getRunId(), r), Grouped.with("by-run", keys, records))
                .aggregate(RunSummary::empty, (run, r, agg) -> agg.add(r), (run, r, agg) -> agg.remove(r),
                        Materialized.<String, RunSummary, KeyValueStore<Bytes, byte[]>>as(RUNS_STORE)
                                .withKeySerde(keys).withValueSerde(new JsonSerde<>(RunSummary.class)));

        KTable<String, ContinualCells> cells = latest
                .filter((key, r) -> isContinualCell(r))
                .groupBy((key, r) -> KeyValue.pair(r.getRunId(), r), Grouped.with("cl-by-run", keys, records))
                .aggregate(ContinualCells::empty, (run, r, agg) -> agg.add(r), (run, r, agg) -> agg.remove(r),
                        Materialized.<String, ContinualCells, KeyValueStore<Bytes, byte[]>>as(MATRIX_STORE)
                                .withKeySerde(keys).withValueSerde(new JsonSerde<>(ContinualCells.class)));
        cells.toStream()
                .filter((run, c) -> c != null && !c.cells().isEmpty())
                .flatMap((run, c) -> summaryRecords(run, c))
                .to(topics.metricsSummary().name(), Produced.with(keys, records));

        latest.filter((key, r) -> r.getStatus() == MetricStatus.OK && !Double.isNaN(r.getValue())
                        && config.leaderboardMetrics().contains(r.getMetric())
                        && config.leaderboardSplit().equals(r.getSplit()))
                .groupBy((key, r) -> KeyValue.pair(leaderboardKey(Leaderboard.seriesOf(r), r.getRunId()), r),
                        Grouped.with("by-series-run", keys, records))
                .aggregate(Leaderboard::empty, (k, r, agg) -> agg.add(r), (k, r, agg) -> agg.remove(r),
                        Materialized.<String, Leaderboard, KeyValueStore<Bytes, byte[]>>as(LEADERBOARD_STORE)
                                .withKeySerde(keys).withValueSerde(new JsonSerde<>(Leaderboard.class)));
        return builder.build();
    }

    /**
     * Key of a leaderboard: {@code series/run/}, the series as {@link MetricKeys#series} writes it (already escaped)
     * and the run escaped as in metric keys; {@link #leaderboardPrefix} of the series is a prefix of it.
     */
    public static String leaderboardKey(String series, String runId) {
        return leaderboardPrefix(series) + MetricKeys.runPrefix(runId);
    }

    /** The prefix every leaderboard key of {@code series} starts with, and no key of another series does. */
    public static String leaderboardPrefix(String series) {
        return series + "/";
    }

    /**
     * Starts the Streams application and, unless the port is -1, the HTTP API.
     *
     * @throws java.io.UncheckedIOException if the HTTP port cannot be bound
     */
    public static MetricsAggregator start(KafkaCluster cluster, AggregatorConfig config) {
        Properties properties = new Properties();
        properties.putAll(KafkaClientConfigs.streams(cluster, config.applicationId(), config.stateDir()));
        KafkaStreams streams = new KafkaStreams(buildTopology(config), properties);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("metrics aggregator stream thread failed", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .SHUTDOWN_CLIENT;
        });
        streams.start();
        MetricsQueries queries = new MetricsQueries(new MetricsQueries.StoreProvider() {
            @Override
            public <V> org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, V> store(String name) {
                return streams.store(StoreQueryParameters.fromNameAndType(name,
                        QueryableStoreTypes.<String, V>keyValueStore()));
            }
        }, config.leaderboardMetrics());
        HttpServer http = config.httpPort() < 0 ? null : HttpApi.start(queries, config.httpPort());
        LOG.info("metrics aggregator {} started{}", config.applicationId(),
                http == null ? "" : ", HTTP on port " + http.getAddress().getPort());
        return new MetricsAggregator(streams, queries, http);
    }

    /** Interactive queries on this instance's stores (throws while the stores are not ready). */
    public MetricsQueries queries() {
        return queries;
    }

    /** The Streams state. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The bound HTTP port, -1 without HTTP server. */
    public int httpPort() {
        return http == null ? -1 : http.getAddress().getPort();
    }

    /** Stops the HTTP server and the Streams application. */
    @Override
    public void close() {
        if (http != null) {
            http.stop(0);
        }
        streams.close(Duration.ofSeconds(30));
    }

    static boolean isContinualCell(MetricRecord r) {
        if (!CL_ACCURACY.equals(r.getMetric()) || r.getStatus() != MetricStatus.OK || r.getTaskId() == null) {
            return false;
        }
        String task = r.getLabels().get("task");
        return task != null && task.matches("\\d+");
    }

    static List<KeyValue<String, MetricRecord>> summaryRecords(String run, ContinualCells cells) {
        AccuracyMatrix m = cells.matrix();
        long step = cells.lastRowStep();
        int task = cells.lastRow();
        List<KeyValue<String, MetricRecord>> out = new ArrayList<>();
        add(out, run, step, task, "cl-avg-accuracy", m.averageAccuracy());
        add(out, run, step, task, "cl-forgetting", m.forgetting());
        add(out, run, step, task, "cl-bwt", m.backwardTransfer());
        return out;
    }

    private static void add(List<KeyValue<String, MetricRecord>> out, String run, long step, int task,
                            String metric, OptionalDouble value) {
        if (value.isEmpty()) {
            return;
        }
        MetricRecord r = MetricRecord.newBuilder().setRunId(run).setStep(step).setTaskId(task).setMetric(metric)
                .setValue(value.getAsDouble()).setSplit("test").setLabels(Map.of()).setStatus(MetricStatus.OK)
                .setCreatedAt(Instant.now()).build();
        out.add(KeyValue.pair(MetricKeys.of(r), r));
    }
}
