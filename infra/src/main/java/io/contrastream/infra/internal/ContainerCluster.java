package io.contrastream.infra.internal;

import io.contrastream.infra.ClusterConfig;
import io.contrastream.infra.KafkaCluster;
import org.apache.kafka.clients.CommonClientConfigs;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

import java.util.Map;

/** The official {@code apache/kafka} image in a container, started by Testcontainers. */
public final class ContainerCluster implements KafkaCluster {
    private final KafkaContainer container;

    private ContainerCluster(KafkaContainer container) {
        this.container = container;
    }

    public static ContainerCluster start(ClusterConfig.Container config) {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("the Testcontainers backend needs a Docker engine and none was found; "
                    + "use the embedded broker (-D" + io.contrastream.infra.KafkaClusters.TEST_BACKEND_PROPERTY
                    + "=embedded) or start Docker");
        }
        KafkaContainer container = new KafkaContainer(DockerImageName.parse(config.image())
                .asCompatibleSubstituteFor("apache/kafka"));
        container.start();
        return new ContainerCluster(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public Map<String, Object> clientProperties() {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    }

    @Override
    public String description() {
        return "Testcontainers broker " + container.getDockerImageName() + " at " + bootstrapServers();
    }

    @Override
    public void close() {
        container.stop();
    }
}
