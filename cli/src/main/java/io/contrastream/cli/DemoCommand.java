package io.contrastream.cli;

import io.contrastream.infra.KafkaClientConfigs;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.KafkaClusters;
import io.contrastream.infra.ProvisionReport;
import io.contrastream.infra.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The main job: the whole pipeline on one machine, on an embedded broker by default. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the pipeline on one machine: start the (embedded) Kafka broker, provision every topic "
                + "and report them; stops on Ctrl-C or after --duration.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "PT0S",
            description = "Stop after this long (ISO-8601, e.g. PT30S); PT0S runs until Ctrl-C. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Console console = new Console(spec.commandLine().getOut());
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (KafkaCluster cluster = KafkaClusters.start(kafka.clusterConfig())) {
            try (Admin admin = Admin.create(KafkaClientConfigs.admin(cluster))) {
                ProvisionReport report = new TopicProvisioner(admin).provision(kafka.catalog().all());
                TopicReportPrinter.print(console, cluster, report);
            }
            if (duration.isZero()) {
                console.line("running; press Ctrl-C to stop");
                stop.await();
            } else {
                stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
            }
            console.line("stopping");
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is already stopping because of Ctrl-C; the hook waits for us.
            }
        }
        console.line("stopped cleanly");
        return 0;
    }
}
