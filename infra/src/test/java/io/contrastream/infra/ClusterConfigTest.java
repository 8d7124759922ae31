package io.contrastream.infra;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterConfigTest {

    @Test
    void shouldParseEachBackend() {
        assertInstanceOf(ClusterConfig.Embedded.class, ClusterConfig.parse("embedded", Map.of()));
        assertEquals(new ClusterConfig.Container(ClusterConfig.DEFAULT_IMAGE), ClusterConfig.parse("testcontainers", Map.of()));
        assertEquals(new ClusterConfig.Container("apache/kafka:4.0.0"),
                ClusterConfig.parse("testcontainers:apache/kafka:4.0.0", Map.of()));
        ClusterConfig external = ClusterConfig.parse("k1:9092,k2:9093", Map.of("security.protocol", "SASL_SSL"));
        assertEquals(new ClusterConfig.External("k1:9092,k2:9093", Map.of("security.protocol", "SASL_SSL")), external);
    }

    @Test
    void shouldRejectAnAddressWithoutPortNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClusterConfig.parse("kafka-host", Map.of()));
        assertTrue(e.getMessage().contains("'kafka-host' is not host:port"), e.getMessage());
    }

    @Test
    void shouldFailFastNamingAnUnreachableAddress() {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        ClusterConfig.External config = new ClusterConfig.External("127.0.0.1:1", Map.of());
        long started = System.nanoTime();
        ClusterUnreachableException e = assertThrows(ClusterUnreachableException.class,
                () -> io.contrastream.infra.internal.ExternalCluster.connect(config, Duration.ofSeconds(2)));
        assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
        assertTrue(e.getMessage().contains("advertised.listeners"), e.getMessage());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(30).toNanos(), "failed fast");
    }
}
