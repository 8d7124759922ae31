package io.contrastream.eval.aggregate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.contrastream.eval.MetricKeys;
import io.contrastream.eval.aggregate.AggregatorConfig;
import io.contrastream.eval.aggregate.MetricsAggregator;
import io.contrastream.eval.aggregate.MetricsQueries;
import io.contrastream.infra.EventTopics;
import io.contrastream.infra.TopicCatalog;
import io.contrastream.schemas.MetricRecord;
import io.contrastream.schemas.MetricStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpApiTest {

    private static final TopicCatalog CATALOG = new TopicCatalog("h", 1, (short) 1);

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private HttpApi api;

    @BeforeEach
    void start() {
        AggregatorConfig config = AggregatorConfig.builder().setCatalog(CATALOG).optHttpPort(-1)
                .optStateDir(stateDir).build();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "http-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(MetricsAggregator.buildTopology(config), props);
        EventTopics topics = new EventTopics(CATALOG);
        TestInputTopic<String, MetricRecord> in = driver.createInputTopic(topics.metrics().name(),
                new StringSerializer(), topics.metrics().valueSerde().serializer());
        for (MetricRecord r : new MetricRecord[] {
                record("run/1", 100, 0, "recall@1", 0.4, Map.of()),
                record("run/1", 200, 0, "recall@1", 0.6, Map.of()),
                record("run/1", 200, 0, "cl-accuracy", 0.9, Map.of("task", "0")),
                // a fast-suite estimate above every exact value of the run
                record("run/1", 300, 1, "recall@1", 0.95, Map.of("queries", "2000"))}) {
            in.pipeInput(MetricKeys.of(r), r);
        }
        api = new HttpApi(new MetricsQueries(new MetricsQueries.StoreProvider() {
            @Override
            public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
                return driver.getKeyValueStore(name);
            }
        }, config.leaderboardMetrics()));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static MetricRecord record(String run, long step, int task, String metric, double value,
                                       Map<String, String> labels) {
        return MetricRecord.newBuilder().setRunId(run).setStep(step).setTaskId(task).setMetric(metric)
                .setValue(value).setSplit("test").setLabels(labels).setStatus(MetricStatus.OK)
                .setCreatedAt(Instant.EPOCH).build();
    }

    private JsonNode json(String uri, int status) throws Exception {
        HttpApi.Response r = api.route(URI.create(uri));
        assertEquals(status, r.status(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("application/json", r.contentType());
        return JsonSerde.MAPPER.readTree(r.body());
    }

    @Test
    void shouldServeRunsMetricsMatrixAndLeaderboardAsJson() throws Exception {
        JsonNode runs = json("/runs", 200);
        assertEquals("run/1", runs.get(0).get("runId").asText());
        assertEquals(4, runs.get(0).get("values").asInt());
        assertEquals(4, json("/runs/run%2F1/metrics", 200).size());
        JsonNode matrix = json("/runs/run%2F1/accuracy-matrix", 200);
        assertEquals(0.9, matrix.get("rows").get(0).get(0).asDouble());
        assertEquals(0.9, matrix.get("averageAccuracy").asDouble());
        assertTrue(matrix.get("forgetting").isNull());
        JsonNode board = json("/leaderboard?metric=recall%401", 200);
        assertEquals(200, board.get("runs").get(0).get("best").get("step").asLong());
        json("/runs/nobody/accuracy-matrix", 404);
        json("/nowhere", 404);
    }

    @Test
    void shouldServeOneLeaderboardPerSeriesWithTheExactOneByDefault() throws Exception {
        for (String uri : new String[] {"/leaderboard", "/leaderboard?metric=recall%401"}) {
            JsonNode exact = json(uri, 200);
            assertEquals("recall@1", exact.get("series").asText());
            assertFalse(exact.get("sampled").asBoolean());
            JsonNode run = exact.get("runs").get(0);
            assertEquals(0.6, run.get("best").get("value").asDouble(), uri + " ranks the exact values only");
            assertEquals(2, run.get("checkpoints").size());
            for (JsonNode c : run.get("checkpoints")) {
                assertEquals("recall@1", c.get("series").asText());
            }
        }
        JsonNode sampled = json("/leaderboard?metric=recall@1%5Bqueries%3D2000%5D", 200);
        assertEquals("recall@1[queries=2000]", sampled.get("series").asText());
        assertEquals("recall@1", sampled.get("metric").asText());
        assertTrue(sampled.get("sampled").asBoolean());
        assertEquals(1, sampled.get("runs").get(0).get("checkpoints").size());
        assertEquals(300, sampled.get("runs").get(0).get("best").get("step").asLong());

        String error = json("/leaderboard?metric=auc", 404).get("error").asText();
        assertTrue(error.contains("[recall@1, recall@1[queries=2000]]"), error);
        json("/leaderboard?metric=recall@1%5Bqueries%3D500%5D", 404);
    }

    @Test
    void shouldRenderADashboardWithInlineSvgAndNoExternalResources() {
        HttpApi.Response r = api.route(URI.create("/"));
        String html = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(200, r.status());
        assertTrue(html.contains("<svg") && html.contains("<polyline"), html);
        assertTrue(html.contains("run/1"));
        assertTrue(html.contains("best checkpoints by recall@1 (exact)"), html);
        assertTrue(html.contains("best checkpoints by recall@1[queries=2000] (estimates on sampled queries)"), html);
        String exactTable = html.substring(html.indexOf("by recall@1 (exact)"), html.indexOf("by recall@1[queries"));
        assertTrue(exactTable.contains("<td>0.6000</td>") && !exactTable.contains("0.9500"), exactTable);
        assertTrue(!html.contains("<script") && !html.contains("src=") && !html.contains("href="), html);
    }

    @Test
    void shouldPlotPointsInsideTheChart() {
        TreeMap<Long, Double> points = new TreeMap<>(Map.of(0L, 0.0, 10L, 1.0));
        String svg = Dashboard.plot(points);
        // x: PAD = 34 .. W - 6 = 314; y: value 0 -> H - 18 = 142, value 1 -> 8.
        assertTrue(svg.contains("points=\"34.0,142.0 314.0,8.0\""), svg);
    }

    @Test
    void shouldServeOverTheJdkHttpServer() throws Exception {
        com.sun.net.httpserver.HttpServer server = HttpApi.start(api.queries(), 0);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://localhost:" + server.getAddress().getPort() + "/runs")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("run/1"), response.body());
        } finally {
            server.stop(0);
        }
    }
}
