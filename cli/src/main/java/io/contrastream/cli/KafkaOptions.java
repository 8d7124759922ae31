package io.contrastream.cli;

import io.contrastream.infra.ClusterConfig;
import io.contrastream.infra.TopicCatalog;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** Options every command that talks to Kafka shares: which cluster and which deployment's topics. */
public final class KafkaOptions {
    @Option(names = "--kafka", defaultValue = "embedded", paramLabel = "CLUSTER",
            description = "embedded (an in-process KRaft broker), testcontainers[:IMAGE], or bootstrap servers "
                    + "host:port[,host:port]. Default: ${DEFAULT-VALUE}.")
    String cluster;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Client properties file for an external cluster (security.protocol, sasl.*, ssl.*).")
    Path clientConfig;

    @Option(names = "--topic-prefix", defaultValue = TopicCatalog.DEFAULT_PREFIX,
            description = "Deployment prefix of every topic name. Default: ${DEFAULT-VALUE}.")
    String topicPrefix;

    @Option(names = "--partitions", defaultValue = "4",
            description = "Partitions of the data-parallel topics. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "1",
            description = "Replication factor of every topic. Default: ${DEFAULT-VALUE}.")
    short replicationFactor;

    public ClusterConfig clusterConfig() {
        return ClusterConfig.parse(cluster, clientProperties());
    }

    public TopicCatalog catalog() {
        return new TopicCatalog(topicPrefix, partitions, replicationFactor);
    }

    private Map<String, String> clientProperties() {
        if (clientConfig == null) {
            return Map.of();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(clientConfig)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --kafka-config " + clientConfig + ": " + e.getMessage(), e);
        }
        Map<String, String> map = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
        return map;
    }
}
