package io.contrastream.eval.aggregate.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.contrastream.eval.aggregate.Leaderboard;
import io.contrastream.eval.aggregate.MetricsQueries;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregator's HTTP API on the JDK server: {@code GET /runs}, {@code /runs/{run}/metrics},
 * {@code /runs/{run}/accuracy-matrix}, {@code /leaderboard?metric=...} as JSON, and {@code /} as a self-contained
 * HTML dashboard.
 *
 * <p>{@code /leaderboard?metric=S} ranks one series {@code S}, a metric with its labels as in metric keys: the default
 * {@code recall@1} (the first leaderboard metric) is the exact, label-free series; the fast suite's estimates are
 * {@code recall@1[queries=2000]}; {@code knn-accuracy} is only ever published with labels, e.g.
 * {@code knn-accuracy[k=200,tau=0.07]}. An unknown series answers 404 listing the series that have boards.
 */
public final class HttpApi {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    private final MetricsQueries queries;

    HttpApi(MetricsQueries queries) {
        this.queries = queries;
    }

    MetricsQueries queries() {
        return queries;
    }

    /** Binds {@code port} (0 = any free port) on all interfaces and serves {@code queries}. */
    public static HttpServer start(MetricsQueries queries, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
            HttpApi api = new HttpApi(queries);
            server.createContext("/", api::handle);
            server.setExecutor(Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "metrics-http");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the metrics API on port " + port + ": " + e.getMessage()
                    + "; choose another --http-port", e);
        }
    }

    /** A response: status, content type, body. */
    record Response(int status, String contentType, byte[] body) {
        static Response json(int status, Object value) {
            try {
                return new Response(status, "application/json", JsonSerde.MAPPER.writeValueAsBytes(value));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        Response response;
        try {
            response = "GET".equals(exchange.getRequestMethod()) ? route(exchange.getRequestURI())
                    : Response.json(405, Map.of("error", "only GET is supported"));
        } catch (InvalidStateStoreException e) {
            response = Response.json(503, Map.of("error", "stores not ready (" + e.getMessage() + "); retry"));
        } catch (RuntimeException e) {
            LOG.warn("HTTP {} failed", exchange.getRequestURI(), e);
            response = Response.json(500, Map.of("error", String.valueOf(e.getMessage())));
        }
        exchange.getResponseHeaders().set("Content-Type", response.contentType() + "; charset=utf-8");
        exchange.sendResponseHeaders(response.status(), response.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response.body());
        }
    }

    /** Routes a request URI to a response. */
    Response route(URI uri) {
        String path = uri.getRawPath();
        if (path.equals("/") || path.equals("/index.html")) {
            return new Response(200, "text/html", Dashboard.render(queries).getBytes(StandardCharsets.UTF_8));
        }
        if (path.equals("/runs")) {
            return Response.json(200, queries.runs());
        }
        if (path.startsWith("/runs/")) {
            String rest = path.substring("/runs/".length());
            int slash = rest.lastIndexOf('/');
            if (slash > 0) {
                String run = URLDecoder.decode(rest.substring(0, slash), StandardCharsets.UTF_8);
                String what = rest.substring(slash + 1);
                if (what.equals("metrics")) {
                    return Response.json(200, queries.metrics(run));
                }
                if (what.equals("accuracy-matrix")) {
                    return queries.accuracyMatrix(run).map(m -> Response.json(200, m))
                            .orElseGet(() -> Response.json(404, Map.of("error", "run '" + run
                                    + "' has no cl-accuracy values (only task-end checkpoints with a replay buffer "
                                    + "have them)")));
                }
            }
        }
        if (path.equals("/leaderboard")) {
            String series = query(uri, "metric").orElse(queries.leaderboardMetrics().get(0));
            return queries.leaderboard(series).map(boards -> Response.json(200, leaderboardJson(series, boards)))
                    .orElseGet(() -> Response.json(404, Map.of("error", "no leaderboard of series '" + series
                            + "'; series with one: " + queries.leaderboardSeries() + ". A series is a metric with "
                            + "its labels and each is ranked on its own: recall@1 = exact values, "
                            + "recall@1[queries=2000] = estimates on 2000 sampled queries (fast suite); leaderboard "
                            + "metrics: " + queries.leaderboardMetrics())));
        }
        return Response.json(404, Map.of("error", "no route " + path + "; try /runs, /runs/{run}/metrics, "
                + "/runs/{run}/accuracy-matrix, /leaderboard?metric=recall@1 or /"));
    }

    /** The JSON of one series' boards: series, metric, sampled (estimates over sampled queries) and the runs. */
    static Map<String, Object> leaderboardJson(String series, List<Leaderboard> boards) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("series", series);
        out.put("metric", boards.get(0).metric());
        out.put("sampled", boards.get(0).sampled());
        out.put("runs", boards.stream().map(b -> {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("runId", b.runId());
            run.put("best", b.best().orElseThrow());
            run.put("checkpoints", b.ranked());
            return run;
        }).toList());
        return out;
    }

    private static Optional<String> query(URI uri, String name) {
        String raw = uri.getRawQuery();
        if (raw == null) {
            return Optional.empty();
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0 && URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return Optional.of(URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
