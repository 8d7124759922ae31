package io.contrastream.cli;

import io.contrastream.data.augment.AugmentationPresets;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.KafkaClusters;
import io.contrastream.infra.TopicProvisioner;
import io.contrastream.producers.AugmentConfig;
import io.contrastream.producers.AugmentStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code augment}: the Kafka Streams augmentation stage, samples to views, exactly-once. */
@Command(name = "augment", mixinStandardHelpOptions = true,
        description = "Run the augmentation stage (Kafka Streams, exactly_once_v2): every Sample on the samples topic"
                + " becomes V AugmentedViews on the views topic; invalid or undecodable samples go to the dead-letter"
                + " topic with the reason. Runs until Ctrl-C or --duration.")
public final class AugmentCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Option(names = "--run-id", defaultValue = "stream", description = "Run id written into views. Default: ${DEFAULT-VALUE}.")
    String runId;

    @Option(names = "--views", defaultValue = "2", description = "Views per sample (>= 2). Default: ${DEFAULT-VALUE}.")
    int views;

    @Option(names = "--augmentation", defaultValue = "digits", paramLabel = "digits|natural|none",
            description = "Augmentation preset. Default: ${DEFAULT-VALUE}.")
    String augmentation;

    @Option(names = "--seed", defaultValue = "0", description = "Augmentation seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--classes", paramLabel = "0,1,2",
            description = "Accepted labels; others go to the dead-letter topic. Default: any.")
    String classes;

    @Option(names = "--shape", paramLabel = "CxHxW", description = "Required image shape, e.g. 1x28x28. Default: any.")
    String shape;

    @Option(names = "--application-id", description = "Kafka Streams application id. Default: <topic-prefix>.augment.")
    String applicationId;

    @Option(names = "--threads", defaultValue = "1", description = "Stream threads. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Streams state directory. Default: a temp dir.")
    Path stateDir;

    @Option(names = "--duration", defaultValue = "PT0S",
            description = "Stop after this long (ISO-8601, e.g. PT60S); PT0S runs until Ctrl-C. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        Console console = new Console(spec.commandLine().getOut());
        AugmentConfig config = AugmentConfig.defaults(kafka.catalog(), runId).withViewCount(views).withSeed(seed)
                .withAugmentation(AugmentationPresets.byName(augmentation)).withThreads(threads);
        if (applicationId != null) {
            config = config.withApplicationId(applicationId);
        }
        if (classes != null) {
            Set<Integer> accepted = Arrays.stream(classes.split(",")).map(String::strip)
                    .map(Integer::valueOf).collect(Collectors.toSet());
            config = config.withClasses(accepted);
        }
        if (shape != null) {
            String[] p = shape.split("x");
            if (p.length != 3) {
                spec.commandLine().getErr().println("--shape must be CxHxW, e.g. 1x28x28; got " + shape);
                return 2;
            }
            config = config.withExpectedShape(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
        }
        Path state = stateDir != null ? stateDir : Files.createTempDirectory("contrastream-augment");
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "augment-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (KafkaCluster cluster = KafkaClusters.start(kafka.clusterConfig())) {
            TopicProvisioner.provision(cluster, kafka.catalog().all());
            try (AugmentStage stage = AugmentStage.start(cluster, config, state)) {
                console.line("augmenting %s -> %s (V=%d, %s, seed %d); dead letters -> %s",
                        kafka.catalog().samples().name(), kafka.catalog().views().name(), views, augmentation, seed,
                        kafka.catalog().deadLetter().name());
                if (duration.isZero()) {
                    stop.await();
                } else {
                    stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
                }
                console.line("stopping (state %s)", stage.state());
            }
            return 0;
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for us.
            }
        }
    }
}
