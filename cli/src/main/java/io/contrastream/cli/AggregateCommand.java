package io.contrastream.cli;

import io.contrastream.eval.aggregate.AggregatorConfig;
import io.contrastream.eval.aggregate.MetricsAggregator;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.KafkaClusters;
import io.contrastream.infra.TopicProvisioner;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the metrics aggregator (Kafka Streams) with its HTTP query API and dashboard. */
@Command(name = "aggregate", mixinStandardHelpOptions = true,
        description = "Aggregate the metrics topic into queryable tables (latest values, continual-learning accuracy "
                + "matrix, leaderboards) and serve them over HTTP: GET /, /runs, /runs/{run}/metrics, "
                + "/runs/{run}/accuracy-matrix, /leaderboard?metric=recall@1 (one board per series: recall@1 = exact "
                + "values, recall@1[queries=2000] = fast-suite estimates on sampled queries). Runs until Ctrl-C.")
public final class AggregateCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Option(names = "--http-port", defaultValue = "8088", description = "HTTP port. Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(names = "--leaderboard-metric", split = ",", defaultValue = "recall@1",
            description = "Metrics with best-checkpoint leaderboards, one per series of the metric (metric with "
                    + "its labels). Default: ${DEFAULT-VALUE}.")
    List<String> leaderboardMetrics;

    @Option(names = "--state-dir", description = "Kafka Streams state directory. Default: .contrastream/state/<app>.")
    Path stateDir;

    @Option(names = "--application-id", description = "Streams application id. Default: <prefix>.metrics-aggregator.")
    String applicationId;

    @Override
    public Integer call() throws Exception {
        Console console = new Console(spec.commandLine().getOut());
        AggregatorConfig config = AggregatorConfig.builder().setCatalog(kafka.catalog()).optHttpPort(httpPort)
                .optLeaderboardMetrics(leaderboardMetrics).optStateDir(stateDir).optApplicationId(applicationId)
                .build();
        try (KafkaCluster cluster = KafkaClusters.start(kafka.clusterConfig())) {
            TopicProvisioner.provision(cluster, kafka.catalog().all());
            CountDownLatch stop = new CountDownLatch(1);
            CountDownLatch closed = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.countDown();
                try {
                    closed.await(40, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "aggregate-shutdown"));
            try (MetricsAggregator aggregator = MetricsAggregator.start(cluster, config)) {
                console.line("metrics aggregator %s running; dashboard at http://localhost:%d/ (Ctrl-C to stop)",
                        config.applicationId(), aggregator.httpPort());
                stop.await();
            } finally {
                closed.countDown();
            }
            return 0;
        }
    }
}
