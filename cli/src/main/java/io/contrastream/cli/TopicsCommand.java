package io.contrastream.cli;

import io.contrastream.infra.TopicProvisioner;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.KafkaClusters;
import io.contrastream.infra.ProvisionReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/** Creates the deployment's missing topics and reports every topic's state. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create missing topics of a deployment and report existing ones that differ from their definition.")
final class TopicsCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Console console = new Console(spec.commandLine().getOut());
        try (KafkaCluster cluster = KafkaClusters.start(kafka.clusterConfig())) {
            ProvisionReport report = TopicProvisioner.provision(cluster, kafka.catalog().all());
            TopicReportPrinter.print(console, cluster, report);
            return report.mismatched().isEmpty() ? 0 : 2;
        }
    }
}
