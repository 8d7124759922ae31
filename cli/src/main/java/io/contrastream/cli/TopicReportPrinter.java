package io.contrastream.cli;

import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.ProvisionReport;
import io.contrastream.infra.TopicSpec;

/** Prints a provisioning report as a table. */
final class TopicReportPrinter {
    private TopicReportPrinter() {
    }

    static void print(Console console, KafkaCluster cluster, ProvisionReport report) {
        console.line("Kafka: %s", cluster.description());
        console.line("%-32s %-10s %10s %8s %14s  %s", "topic", "cleanup", "partitions", "replicas", "retention", "state");
        report.created().forEach(spec -> row(console, spec, "created"));
        report.unchanged().forEach(spec -> row(console, spec, "ok"));
        report.mismatched().forEach(m -> row(console, m.spec(), "MISMATCH: " + String.join("; ", m.differences())));
    }

    private static void row(Console console, TopicSpec spec, String state) {
        String retention = spec.retentionMs() < 0 ? "forever" : (spec.retentionMs() / 86_400_000L) + " d";
        console.line("%-32s %-10s %10d %8d %14s  %s", spec.name(), spec.cleanup().config(), spec.partitions(),
                spec.replicationFactor(), retention, state);
    }
}
