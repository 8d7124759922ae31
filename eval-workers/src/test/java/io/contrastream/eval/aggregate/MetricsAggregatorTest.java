package io.contrastream.eval.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.eval.MetricKeys;
import io.contrastream.infra.EventTopics;
import io.contrastream.infra.TopicCatalog;
import io.contrastream.schemas.MetricRecord;
import io.contrastream.schemas.MetricStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsAggregatorTest {

    private static final TopicCatalog CATALOG = new TopicCatalog("t", 2, (short) 1);
    private static final EventTopics TOPICS = new EventTopics(CATALOG);

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, MetricRecord> metrics;
    private TestOutputTopic<String, MetricRecord> summary;
    private MetricsQueries queries;

    @BeforeEach
    void start() {
        start(List.of("recall@1"));
    }

    /** A fresh driver (own state directory) whose aggregator has boards for {@code leaderboardMetrics}. */
    private void restart(List<String> leaderboardMetrics) {
        driver.close();
        start(leaderboardMetrics, stateDir.resolve("restarted"));
    }

    private void start(List<String> leaderboardMetrics) {
        start(leaderboardMetrics, stateDir);
    }

    private void start(List<String> leaderboardMetrics, Path dir) {
        AggregatorConfig config = AggregatorConfig.builder().setCatalog(CATALOG).optHttpPort(-1)
                .optLeaderboardMetrics(leaderboardMetrics).optStateDir(dir).build();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        driver = new TopologyTestDriver(MetricsAggregator.buildTopology(config), props);
        metrics = driver.createInputTopic(TOPICS.metrics().name(), new StringSerializer(),
                TOPICS.metrics().valueSerde().serializer());
        summary = driver.createOutputTopic(TOPICS.metricsSummary().name(), new StringDeserializer(),
                TOPICS.metricsSummary().valueSerde().deserializer());
        queries = new MetricsQueries(new MetricsQueries.StoreProvider() {
            @Override
            public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
                return driver.getKeyValueStore(name);
            }
        }, config.leaderboardMetrics());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    static MetricRecord record(String run, long step, int task, String metric, double value,
                               Map<String, String> labels) {
        return MetricRecord.newBuilder().setRunId(run).setStep(step).setTaskId(task).setMetric(metric)
                .setValue(value).setSplit("test").setLabels(labels).setStatus(MetricStatus.OK)
                .setCreatedAt(Instant.ofEpochMilli(step)).build();
    }

    private void publish(MetricRecord r) {
        metrics.pipeInput(MetricKeys.of(r), r);
    }

    @Test
    void shouldReplaceTheValueOfAKeyWithTheLatestPublication() {
        publish(record("a", 100, 0, "recall@1", 0.5, Map.of()));
        publish(record("a", 100, 0, "recall@1", 0.7, Map.of()));
        assertEquals(0.7, queries.metric("a/100/recall@1/test").orElseThrow().value());
        assertEquals(1, queries.metrics("a").size());
    }

    @Test
    void shouldNotDuplicateARepublishedMetricInAnyTable() {
        MetricRecord r = record("a", 100, 0, "recall@1", 0.5, Map.of());
        publish(r);
        publish(record("a", 100, 0, "auc", 0.9, Map.of("mode", "pooled")));
        publish(record("b", 100, 0, "recall@1", 0.1, Map.of()));
        publish(r);
        publish(r);
        assertEquals(2, queries.metrics("a").size());
        RunSummary a = queries.runs().get(0);
        assertEquals("a", a.runId());
        assertEquals(2, a.values());
        assertEquals(Map.of(100L, 2), a.steps());
        assertEquals(1, queries.leaderboard("recall@1").orElseThrow().stream()
                .filter(b -> b.runId().equals("a")).findFirst().orElseThrow().entries().size());
    }

    @Test
    void shouldBuildTheAccuracyMatrixWithForgettingAndBackwardTransfer() {
        // R = [[0.9, -, -], [0.6, 0.8, -], [0.5, 0.7, 0.85]] (row = task trained through, column = task scored).
        publish(record("cl", 100, 0, "cl-accuracy", 0.9, Map.of("task", "0")));
        publish(record("cl", 200, 1, "cl-accuracy", 0.6, Map.of("task", "0")));
        publish(record("cl", 200, 1, "cl-accuracy", 0.8, Map.of("task", "1")));
        // After task 1: A = (0.6 + 0.8) / 2 = 0.7; F = 0.9 - 0.6 = 0.3; BWT = 0.6 - 0.9 = -0.3.
        Map<String, MetricRecord> afterTask1 = summary.readKeyValuesToMap();
        assertEquals(0.7, afterTask1.get("cl/200/cl-avg-accuracy/test").getValue(), 1e-12);
        assertEquals(0.3, afterTask1.get("cl/200/cl-forgetting/test").getValue(), 1e-12);
        assertEquals(-0.3, afterTask1.get("cl/200/cl-bwt/test").getValue(), 1e-12);

        publish(record("cl", 300, 2, "cl-accuracy", 0.5, Map.of("task", "0")));
        publish(record("cl", 300, 2, "cl-accuracy", 0.7, Map.of("task", "1")));
        publish(record("cl", 300, 2, "cl-accuracy", 0.85, Map.of("task", "2")));
        publish(record("cl", 300, 2, "recall@1", 0.4, Map.of()));
        // A_2 = (0.5 + 0.7 + 0.85) / 3 = 0.683333...
        // F_2 = mean(max(0.9, 0.6) - 0.5, max(0.8) - 0.7) = mean(0.4, 0.1) = 0.25
        // BWT = mean(0.5 - 0.9, 0.7 - 0.8) = mean(-0.4, -0.1) = -0.25
        Map<String, MetricRecord> afterTask2 = summary.readKeyValuesToMap();
        assertEquals(2.05 / 3, afterTask2.get("cl/300/cl-avg-accuracy/test").getValue(), 1e-12);
        assertEquals(0.25, afterTask2.get("cl/300/cl-forgetting/test").getValue(), 1e-12);
        assertEquals(-0.25, afterTask2.get("cl/300/cl-bwt/test").getValue(), 1e-12);
        assertEquals(2, afterTask2.get("cl/300/cl-bwt/test").getTaskId());

        MetricsQueries.AccuracyMatrixView m = queries.accuracyMatrix("cl").orElseThrow();
        assertEquals(3, m.tasks());
        assertEquals(List.of(0.5, 0.7, 0.85), m.rows().get(2));
        assertTrue(m.rows().get(0).get(1).isNaN());
        assertEquals(0.25, m.forgetting(), 1e-12);
        assertEquals(300, m.lastStep());
    }

    @Test
    void shouldReplaceACorrectedMatrixCellInsteadOfAddingIt() {
        publish(record("cl", 100, 0, "cl-accuracy", 0.9, Map.of("task", "0")));
        publish(record("cl", 200, 1, "cl-accuracy", 0.6, Map.of("task", "0")));
        publish(record("cl", 200, 1, "cl-accuracy", 0.8, Map.of("task", "1")));
        publish(record("cl", 200, 1, "cl-accuracy", 0.7, Map.of("task", "0")));
        // A = (0.7 + 0.8) / 2 = 0.75; F = 0.9 - 0.7 = 0.2
        MetricsQueries.AccuracyMatrixView m = queries.accuracyMatrix("cl").orElseThrow();
        assertEquals(0.75, m.averageAccuracy(), 1e-12);
        assertEquals(0.2, m.forgetting(), 1e-12);
        assertEquals(3, driver.<String, ContinualCells>getKeyValueStore(MetricsAggregator.MATRIX_STORE).get("cl")
                .cells().size());
    }

    @Test
    void shouldKeepASampledEstimateApartFromTheExactValueOfTheSameCheckpoint() {
        // the fast suite publishes recall@1[queries=2000] at every checkpoint, the full suite the exact recall@1 at a
        // task end: same run, step and metric, different keys, both kept in every table and told apart by series
        publish(record("a", 400, 0, "recall@1", 0.79, Map.of("queries", "2000")));
        publish(record("a", 400, 0, "recall@1", 0.80, Map.of()));
        assertEquals(0.79, queries.metric("a/400/recall@1[queries=2000]/test").orElseThrow().value());
        assertEquals(0.80, queries.metric("a/400/recall@1/test").orElseThrow().value());
        assertEquals(2, queries.metrics("a").size());
        assertEquals(List.of("recall@1", "recall@1[queries=2000]"), queries.metrics("a").stream()
                .map(MetricsQueries.MetricView::series).sorted().toList());
        assertEquals(List.of("recall@1"), queries.leaderboard("recall@1").orElseThrow().get(0).ranked().stream()
                .map(Leaderboard.Entry::series).toList());
        assertEquals(List.of("recall@1[queries=2000]"), queries.leaderboard("recall@1[queries=2000]").orElseThrow()
                .get(0).ranked().stream().map(Leaderboard.Entry::series).toList());
    }

    @Test
    void shouldRankSampledEstimatesAndExactValuesOnSeparateBoards() {
        // run a: estimates at every checkpoint, all above its one exact value (task end, step 200)
        publish(record("a", 100, 0, "recall@1", 0.85, Map.of("queries", "2000")));
        publish(record("a", 200, 0, "recall@1", 0.88, Map.of("queries", "2000")));
        publish(record("a", 200, 0, "recall@1", 0.80, Map.of()));
        publish(record("a", 300, 1, "recall@1", 0.90, Map.of("queries", "2000")));
        // run b: one exact value between a's exact value and a's estimates
        publish(record("b", 200, 0, "recall@1", 0.82, Map.of()));

        List<Leaderboard> exact = queries.leaderboard("recall@1").orElseThrow();
        assertEquals(List.of("b", "a"), exact.stream().map(Leaderboard::runId).toList(),
                "a's estimates (0.85-0.90) must not rank it above b's exact 0.82");
        Leaderboard aExact = exact.get(1);
        assertEquals("recall@1", aExact.series());
        assertFalse(aExact.sampled());
        assertEquals(1, aExact.entries().size());
        assertEquals(new Leaderboard.Entry(200, 0, "recall@1", 0.80), aExact.best().orElseThrow());

        List<Leaderboard> sampled = queries.leaderboard("recall@1[queries=2000]").orElseThrow();
        assertEquals(List.of("a"), sampled.stream().map(Leaderboard::runId).toList());
        assertTrue(sampled.get(0).sampled());
        assertEquals(List.of(300L, 200L, 100L), sampled.get(0).ranked().stream().map(Leaderboard.Entry::step)
                .toList());
        assertTrue(sampled.get(0).ranked().stream().allMatch(e -> e.series().equals("recall@1[queries=2000]")));

        assertEquals(List.of("recall@1", "recall@1[queries=2000]"), queries.leaderboardSeries());
        assertEquals(List.of("recall@1", "recall@1[queries=2000]"), queries.leaderboards("a", "recall@1").stream()
                .map(Leaderboard::series).toList());
        // a run's "best recall@1" is the exact 0.80, not the 0.90 estimate
        assertEquals(List.of(0.80), queries.preferredLeaderboards("a", "recall@1").stream()
                .map(b -> b.best().orElseThrow().value()).toList());

        // a corrected estimate replaces the old one on the sampled board and leaves the exact board alone
        publish(record("a", 300, 1, "recall@1", 0.70, Map.of("queries", "2000")));
        assertEquals(200, queries.leaderboard("recall@1[queries=2000]").orElseThrow().get(0).best().orElseThrow()
                .step());
        assertEquals(1, queries.leaderboard("recall@1").orElseThrow().get(1).entries().size());
    }

    @Test
    void shouldPreferSampledBoardsOnlyWhenARunHasNoExactValue() {
        publish(record("fast", 100, 0, "recall@1", 0.6, Map.of("queries", "500")));
        publish(record("fast", 200, 0, "recall@1", 0.7, Map.of("queries", "500")));
        List<Leaderboard> preferred = queries.preferredLeaderboards("fast", "recall@1");
        assertEquals(List.of("recall@1[queries=500]"), preferred.stream().map(Leaderboard::series).toList());
        assertTrue(preferred.get(0).sampled());
        assertTrue(queries.leaderboard("recall@1").isEmpty(), "no exact series yet");
        assertTrue(queries.preferredLeaderboards("nobody", "recall@1").isEmpty());
    }

    @Test
    void shouldGiveEachLabelledSeriesOfAMetricItsOwnBoard() {
        restart(List.of("knn-accuracy"));
        publish(record("a", 100, 0, "knn-accuracy", 0.70, Map.of("k", "200", "tau", "0.07")));
        publish(record("a", 100, 0, "knn-accuracy", 0.75, Map.of("k", "200", "tau", "0.07", "queries", "2000")));
        publish(record("a", 100, 0, "knn-accuracy", 0.72, Map.of("k", "20", "tau", "0.07")));
        publish(record("a", 100, 0, "recall@1", 0.9, Map.of()));
        assertEquals(List.of("knn-accuracy[k=20,tau=0.07]", "knn-accuracy[k=200,tau=0.07]",
                "knn-accuracy[k=200,queries=2000,tau=0.07]"), queries.leaderboardSeries());
        assertEquals(queries.leaderboardSeries(), queries.leaderboardSeries("knn-accuracy"));
        assertTrue(queries.leaderboard("knn-accuracy").isEmpty(), "no label-free knn-accuracy series");
        assertTrue(queries.leaderboard("recall@1").isEmpty(), "recall@1 has no leaderboard in this config");
        assertEquals(0.70, queries.leaderboard("knn-accuracy[k=200,tau=0.07]").orElseThrow().get(0).best()
                .orElseThrow().value());
        assertEquals(List.of("knn-accuracy[k=20,tau=0.07]", "knn-accuracy[k=200,tau=0.07]"),
                queries.preferredLeaderboards("a", "knn-accuracy").stream().map(Leaderboard::series).toList());
    }

    @Test
    void shouldRefuseToRankAnotherSeriesOnABoard() {
        Leaderboard board = Leaderboard.empty().add(record("a", 100, 0, "recall@1", 0.5, Map.of()));
        assertEquals("recall@1", board.series());
        assertThrows(IllegalArgumentException.class,
                () -> board.add(record("a", 200, 0, "recall@1", 0.9, Map.of("queries", "2000"))));
        assertThrows(IllegalArgumentException.class, () -> board.add(record("b", 200, 0, "recall@1", 0.9, Map.of())));
    }

    @Test
    void shouldKeyBoardsBySeriesWithoutPrefixCollisions() {
        restart(List.of("recall@1", "recall@10"));
        publish(record("a", 100, 0, "recall@1", 0.5, Map.of()));
        publish(record("a", 100, 0, "recall@10", 0.9, Map.of()));
        assertEquals("recall@1/a%2Fb/", MetricsAggregator.leaderboardKey("recall@1", "a/b"));
        assertFalse(MetricsAggregator.leaderboardKey("recall@1[queries=2000]", "a")
                .startsWith(MetricsAggregator.leaderboardPrefix("recall@1")));
        assertEquals(List.of(0.5), queries.leaderboard("recall@1").orElseThrow().stream()
                .map(b -> b.best().orElseThrow().value()).toList());
        assertEquals(List.of("recall@1", "recall@10"), queries.leaderboardSeries());
    }

    @Test
    void shouldRankEachRunsCheckpointsByTheLeaderboardMetric() {
        publish(record("a", 100, 0, "recall@1", 0.5, Map.of()));
        publish(record("a", 200, 0, "recall@1", 0.8, Map.of()));
        publish(record("a", 300, 0, "recall@1", 0.7, Map.of()));
        publish(record("b", 100, 0, "recall@1", 0.9, Map.of()));
        publish(record("b", 100, 0, "auc", 0.99, Map.of()));
        MetricRecord failed = MetricRecord.newBuilder(record("b", 200, 0, "recall@1", Double.NaN, Map.of()))
                .setStatus(MetricStatus.EVALUATION_FAILED).build();
        publish(failed);

        List<Leaderboard> boards = queries.leaderboard("recall@1").orElseThrow();
        assertEquals(List.of("b", "a"), boards.stream().map(Leaderboard::runId).toList());
        assertEquals(List.of(200L, 300L, 100L), boards.get(1).ranked().stream().map(Leaderboard.Entry::step)
                .toList());
        assertEquals(1, boards.get(0).entries().size());

        publish(record("a", 200, 0, "recall@1", 0.6, Map.of()));
        Leaderboard a = queries.leaderboard("recall@1").orElseThrow().get(1);
        assertEquals(300, a.best().orElseThrow().step());
        assertFalse(queries.leaderboard("auc").isPresent());
    }

    @Test
    void shouldIgnoreFailedAndUnlabelledCellsInTheMatrix() {
        publish(MetricRecord.newBuilder(record("x", 5, 0, "cl-accuracy", 0.3, Map.of("task", "0")))
                .setStatus(MetricStatus.EVALUATION_FAILED).build());
        publish(record("x", 6, 0, "cl-accuracy", 0.3, Map.of()));
        assertTrue(queries.accuracyMatrix("x").isEmpty());
        assertNull(driver.getKeyValueStore(MetricsAggregator.MATRIX_STORE).get("x"));
        assertTrue(summary.isEmpty());
    }
}
