package io.contrastream.infra.testing;

import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.KafkaClusters;
import io.contrastream.infra.TopicCatalog;
import io.contrastream.infra.TopicProvisioner;

import java.util.UUID;

/**
 * One broker per test JVM, started on first use and stopped at JVM exit: the embedded KRaft broker by default,
 * or the backend named by {@code -Dcontrastream.kafka} (e.g. {@code testcontainers}). Tests isolate themselves
 * with a fresh topic prefix from {@link #freshCatalog()}.
 */
public final class SharedKafka {
    private static KafkaCluster cluster;

    private SharedKafka() {
    }

    public static synchronized KafkaCluster cluster() {
        if (cluster == null) {
            cluster = KafkaClusters.forTests();
            KafkaCluster started = cluster;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-kafka-stop"));
        }
        return cluster;
    }

    /** A catalog with a prefix no other test uses, its topics already provisioned. */
    public static TopicCatalog freshCatalog(int partitions) {
        TopicCatalog catalog = new TopicCatalog("t" + UUID.randomUUID().toString().substring(0, 8), partitions, (short) 1);
        TopicProvisioner.provision(cluster(), catalog.all());
        return catalog;
    }

    public static TopicCatalog freshCatalog() {
        return freshCatalog(2);
    }
}
