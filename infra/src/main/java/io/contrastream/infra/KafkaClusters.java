package io.contrastream.infra;

import io.contrastream.infra.internal.ContainerCluster;
import io.contrastream.infra.internal.EmbeddedKraftCluster;
import io.contrastream.infra.internal.ExternalCluster;

import java.time.Duration;
import java.util.Map;

/** Starts (or connects to) the cluster a {@link ClusterConfig} names. */
public final class KafkaClusters {
    /** System property the tests read to choose their backend: {@code embedded} (default), {@code testcontainers}, or bootstrap servers. */
    public static final String TEST_BACKEND_PROPERTY = "contrastream.kafka";

    private KafkaClusters() {
    }

    /**
     * The cluster for {@code config}. An external cluster is checked before this returns: an unreachable address
     * fails fast with {@link ClusterUnreachableException}.
     */
    public static KafkaCluster start(ClusterConfig config) {
        if (config instanceof ClusterConfig.Embedded embedded) {
            return EmbeddedKraftCluster.start(embedded);
        }
        if (config instanceof ClusterConfig.External external) {
            return ExternalCluster.connect(external, Duration.ofSeconds(15));
        }
        return ContainerCluster.start((ClusterConfig.Container) config);
    }

    /** The backend integration tests use, from the {@value #TEST_BACKEND_PROPERTY} system property. */
    public static KafkaCluster forTests() {
        return start(ClusterConfig.parse(System.getProperty(TEST_BACKEND_PROPERTY, "embedded"), Map.of()));
    }
}
