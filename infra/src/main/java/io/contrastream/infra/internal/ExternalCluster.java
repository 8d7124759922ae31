package io.contrastream.infra.internal;

import io.contrastream.infra.ClusterConfig;
import io.contrastream.infra.ClusterUnreachableException;
import io.contrastream.infra.KafkaCluster;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** An existing cluster, checked once on connect. */
public final class ExternalCluster implements KafkaCluster {
    private final ClusterConfig.External config;
    private final Map<String, Object> clientProperties;

    private ExternalCluster(ClusterConfig.External config) {
        this.config = config;
        Map<String, Object> properties = new HashMap<>(config.clientProperties());
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        this.clientProperties = Map.copyOf(properties);
    }

    /** Connects and asks the cluster to describe itself; fails fast naming the address when it does not answer. */
    public static ExternalCluster connect(ClusterConfig.External config, Duration timeout) {
        ExternalCluster cluster = new ExternalCluster(config);
        Map<String, Object> adminProperties = new HashMap<>(cluster.clientProperties);
        int millis = (int) timeout.toMillis();
        adminProperties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        adminProperties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        adminProperties.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, Math.min(millis, 5000));
        adminProperties.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, Math.min(millis, 5000));
        try (Admin admin = Admin.create(adminProperties)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis)).clusterId()
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(config, timeout, e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw unreachable(config, timeout, e);
        }
        return cluster;
    }

    private static ClusterUnreachableException unreachable(ClusterConfig.External config, Duration timeout, Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return new ClusterUnreachableException("no Kafka broker answered at " + config.bootstrapServers() + " within "
                + timeout.toSeconds() + " s (" + cause.getClass().getSimpleName() + ": " + cause.getMessage()
                + "). Check the host and port, that the broker is running and reachable from here, that its "
                + "advertised.listeners name an address this machine can resolve, and security.protocol/sasl/ssl "
                + "settings (--kafka-config).", cause);
    }

    @Override
    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    @Override
    public Map<String, Object> clientProperties() {
        return clientProperties;
    }

    @Override
    public String description() {
        return "external cluster at " + config.bootstrapServers();
    }

    @Override
    public void close() {
        // Not ours to stop.
    }
}
