package io.contrastream.infra.internal;

import io.contrastream.infra.ClusterConfig;
import io.contrastream.infra.KafkaCluster;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real single-node KRaft broker (combined controller and broker) running in this JVM. The only class that
 * touches broker internals.
 */
public final class EmbeddedKraftCluster implements KafkaCluster {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKraftCluster.class);

    private final KafkaClusterTestKit kit;
    private final String bootstrapServers;
    private final Path ownedDirectory;

    private EmbeddedKraftCluster(KafkaClusterTestKit kit, Path ownedDirectory) {
        this.kit = kit;
        this.bootstrapServers = kit.bootstrapServers();
        this.ownedDirectory = ownedDirectory;
    }

    public static EmbeddedKraftCluster start(ClusterConfig.Embedded config) {
        long started = System.nanoTime();
        TestKitNodes.Builder nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1);
        // Our own directory, not the test kit's temporary one: the kit deletes that from a JVM shutdown hook, which on
        // Ctrl-C races with the broker's own orderly shutdown and leaves it writing into a deleted directory.
        Path ownedDirectory = null;
        KafkaClusterTestKit kit = null;
        try {
            if (config.dataDir().isPresent()) {
                nodes.setBaseDirectory(config.dataDir().get());
            } else {
                ownedDirectory = Files.createTempDirectory("contrastream-kafka-");
                nodes.setBaseDirectory(ownedDirectory);
            }
            kit = new KafkaClusterTestKit.Builder(nodes.build())
                    // A single node cannot replicate internal topics: without these, consumer groups and
                    // transactions wait forever for replicas that never come.
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "4")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "4")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setConfigProp("message.max.bytes", String.valueOf(8 * 1024 * 1024))
                    .setDeleteOnClose(false)
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
        } catch (Exception e) {
            if (kit != null) {
                try {
                    kit.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            deleteQuietly(ownedDirectory);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("embedded Kafka broker failed to start: " + e.getMessage(), e);
        }
        EmbeddedKraftCluster cluster = new EmbeddedKraftCluster(kit, ownedDirectory);
        log.info("embedded KRaft broker ready at {} in {} ms", cluster.bootstrapServers,
                (System.nanoTime() - started) / 1_000_000);
        return cluster;
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public Map<String, Object> clientProperties() {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }

    @Override
    public String description() {
        return "embedded KRaft broker at " + bootstrapServers;
    }

    @Override
    public void close() {
        try {
            kit.close();
            log.info("embedded KRaft broker at {} stopped", bootstrapServers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("embedded broker at {} did not stop cleanly: {}", bootstrapServers, e.toString());
        } finally {
            deleteQuietly(ownedDirectory);
        }
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete the embedded broker's directory {}: {}", directory, e.toString());
        }
    }
}
