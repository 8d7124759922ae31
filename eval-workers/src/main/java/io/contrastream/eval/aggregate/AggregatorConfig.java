package io.contrastream.eval.aggregate;

import io.contrastream.infra.TopicCatalog;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of the {@link MetricsAggregator}.
 *
 * @param catalog            the deployment's topics (reads metrics, writes metrics-summary)
 * @param applicationId      Kafka Streams application id (default {@code <prefix>.metrics-aggregator})
 * @param leaderboardMetrics metrics with a best-checkpoint leaderboard (default recall@1)
 * @param leaderboardSplit   split the leaderboards rank on (default test)
 * @param httpPort           port of the HTTP query API and dashboard; 0 picks a free port, -1 disables it
 * @param stateDir           Kafka Streams state directory
 */
public record AggregatorConfig(TopicCatalog catalog, String applicationId, List<String> leaderboardMetrics,
                               String leaderboardSplit, int httpPort, Path stateDir) {

    /** Default HTTP port. */
    public static final int DEFAULT_HTTP_PORT = 8088;

    /** Validates; messages name the field. */
    public AggregatorConfig {
        Objects.requireNonNull(catalog, "AggregatorConfig.catalog");
        if (applicationId == null || !applicationId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("AggregatorConfig.applicationId '" + applicationId
                    + "' must be non-empty and of [A-Za-z0-9._-]");
        }
        leaderboardMetrics = List.copyOf(leaderboardMetrics);
        if (leaderboardMetrics.isEmpty() || leaderboardMetrics.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("AggregatorConfig.leaderboardMetrics " + leaderboardMetrics
                    + " must name at least one metric, e.g. recall@1");
        }
        if (leaderboardSplit == null || leaderboardSplit.isBlank()) {
            throw new IllegalArgumentException("AggregatorConfig.leaderboardSplit must be non-blank, e.g. test");
        }
        if (httpPort < -1 || httpPort > 65535) {
            throw new IllegalArgumentException("AggregatorConfig.httpPort " + httpPort
                    + " must be a port, 0 (any free port) or -1 (no HTTP server)");
        }
        Objects.requireNonNull(stateDir, "AggregatorConfig.stateDir");
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder: {@code setCatalog} is required. */
    public static final class Builder {
        private TopicCatalog catalog;
        private String applicationId;
        private List<String> leaderboardMetrics = List.of("recall@1");
        private String leaderboardSplit = "test";
        private int httpPort = DEFAULT_HTTP_PORT;
        private Path stateDir;

        private Builder() {
        }

        /** The deployment's topics. */
        public Builder setCatalog(TopicCatalog catalog) {
            this.catalog = catalog;
            return this;
        }

        /** Application id; default {@code <prefix>.metrics-aggregator}. */
        public Builder optApplicationId(String applicationId) {
            this.applicationId = applicationId;
            return this;
        }

        /** Leaderboard metrics; default [recall@1]. */
        public Builder optLeaderboardMetrics(List<String> metrics) {
            this.leaderboardMetrics = metrics;
            return this;
        }

        /** Leaderboard split; default test. */
        public Builder optLeaderboardSplit(String split) {
            this.leaderboardSplit = split;
            return this;
        }

        /** HTTP port; default 8088, 0 = any free port, -1 = none. */
        public Builder optHttpPort(int port) {
            this.httpPort = port;
            return this;
        }

        /** State directory; default {@code .contrastream/state/<applicationId>}. */
        public Builder optStateDir(Path stateDir) {
            this.stateDir = stateDir;
            return this;
        }

        /** Validates and builds. */
        public AggregatorConfig build() {
            if (catalog == null) {
                throw new IllegalArgumentException("AggregatorConfig: setCatalog(TopicCatalog) is required");
            }
            String app = applicationId != null ? applicationId : catalog.prefix() + ".metrics-aggregator";
            return new AggregatorConfig(catalog, app, leaderboardMetrics, leaderboardSplit, httpPort,
                    stateDir != null ? stateDir : Path.of(".contrastream", "state", app));
        }
    }
}
