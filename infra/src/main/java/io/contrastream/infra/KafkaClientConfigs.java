package io.contrastream.infra;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The one place client settings become Kafka properties. Producers are idempotent with {@code acks=all};
 * consumers read committed data only and commit offsets themselves; Streams apps run {@code exactly_once_v2}.
 */
public final class KafkaClientConfigs {
    private KafkaClientConfigs() {
    }

    /** An idempotent producer ({@code acks=all}, {@code enable.idempotence=true}). */
    public static Map<String, Object> producer(KafkaCluster cluster, String clientId) {
        Map<String, Object> properties = new HashMap<>(cluster.clientProperties());
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
        return properties;
    }

    /**
     * A transactional producer. The {@code transactionalId} must be stable per worker instance so a restarted
     * instance fences its zombie predecessor.
     */
    public static Map<String, Object> transactionalProducer(KafkaCluster cluster, String clientId, String transactionalId) {
        Map<String, Object> properties = producer(cluster, clientId);
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        return properties;
    }

    /** A consumer in {@code groupId} that sees committed records only and never auto-commits. */
    public static Map<String, Object> consumer(KafkaCluster cluster, String groupId, String clientId) {
        Map<String, Object> properties = new HashMap<>(cluster.clientProperties());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        properties.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        // Tensor records make multi-MB fetches (a trainer step reads V*B*C*H*W*4 bytes, 3 MB at B=512 on 28x28);
        // with the default 64 KB socket buffer the transfer only progresses inside poll(), serialised with the
        // caller's work. Let the OS size the buffer.
        properties.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1);
        return properties;
    }

    /** A consumer without a group (manual assignment), e.g. to read a topic end to end. */
    public static Map<String, Object> reader(KafkaCluster cluster, String clientId) {
        Map<String, Object> properties = consumer(cluster, "unused", clientId);
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return properties;
    }

    /** A Kafka Streams application with exactly-once v2 processing. */
    public static Map<String, Object> streams(KafkaCluster cluster, String applicationId, Path stateDir) {
        Map<String, Object> properties = new HashMap<>(cluster.clientProperties());
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), 8 * 1024 * 1024);
        return properties;
    }

    /** An admin client. */
    public static Map<String, Object> admin(KafkaCluster cluster) {
        return new HashMap<>(cluster.clientProperties());
    }
}
