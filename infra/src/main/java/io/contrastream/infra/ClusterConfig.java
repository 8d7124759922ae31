package io.contrastream.infra;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** Which Kafka cluster to use. */
public sealed interface ClusterConfig {
    /** Default image of the Testcontainers broker; matches the client version. */
    String DEFAULT_IMAGE = "apache/kafka:4.1.1";

    /** An in-process single-node KRaft broker (combined controller and broker) with its logs under {@code dataDir}. */
    record Embedded(Optional<Path> dataDir) implements ClusterConfig {
        public Embedded {
            Objects.requireNonNull(dataDir, "dataDir");
        }
    }

    /**
     * An existing cluster.
     *
     * @param bootstrapServers comma-separated {@code host:port} list
     * @param clientProperties extra client properties, e.g. {@code security.protocol}, {@code sasl.*}, {@code ssl.*}
     */
    record External(String bootstrapServers, Map<String, String> clientProperties) implements ClusterConfig {
        private static final Pattern HOST_PORT = Pattern.compile("[^\\s,:]+:\\d{1,5}");

        public External {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            for (String address : bootstrapServers.split(",")) {
                if (!HOST_PORT.matcher(address.trim()).matches()) {
                    throw new IllegalArgumentException("bootstrap server '" + address.trim()
                            + "' is not host:port (in '" + bootstrapServers + "')");
                }
            }
            clientProperties = Map.copyOf(clientProperties);
        }
    }

    /** A broker in a Docker container started by Testcontainers; needs a Docker engine. */
    record Container(String image) implements ClusterConfig {
        public Container {
            Objects.requireNonNull(image, "image");
        }
    }

    /**
     * Parses {@code embedded}, {@code testcontainers[:image]} or a bootstrap server list ({@code host:port,...}).
     */
    static ClusterConfig parse(String value, Map<String, String> clientProperties) {
        String trimmed = value.trim();
        if (trimmed.equals("embedded")) {
            return new Embedded(Optional.empty());
        }
        if (trimmed.equals("testcontainers")) {
            return new Container(DEFAULT_IMAGE);
        }
        if (trimmed.startsWith("testcontainers:")) {
            return new Container(trimmed.substring("testcontainers:".length()));
        }
        return new External(trimmed, clientProperties);
    }
}
