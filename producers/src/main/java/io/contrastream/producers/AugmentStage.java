package io.contrastream.producers;

import io.contrastream.infra.EventTopics;
import io.contrastream.infra.KafkaClientConfigs;
import io.contrastream.infra.KafkaCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link AugmentTopology} on a cluster with {@code exactly_once_v2} ({@link KafkaClientConfigs#streams}); the
 * topology itself dead-letters undecodable and invalid samples, inside the transaction. Close it to stop.
 */
public final class AugmentStage implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AugmentStage.class);

    private final KafkaStreams streams;

    private AugmentStage(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Builds the Streams properties of the stage. */
    public static Properties properties(KafkaCluster cluster, AugmentConfig config, Path stateDir) {
        Map<String, Object> map = KafkaClientConfigs.streams(cluster, config.applicationId(), stateDir);
        map.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.threads());
        // One sample becomes V views of a few KB each: batch like the ViewProducer does (Streams' default is 16 KB).
        map.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        map.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        map.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitIntervalMs());
        Properties properties = new Properties();
        properties.putAll(map);
        return properties;
    }

    /** Starts the stage; returns once the Streams client is started (not necessarily running). */
    public static AugmentStage start(KafkaCluster cluster, AugmentConfig config, Path stateDir) {
        EventTopics topics = new EventTopics(config.topics());
        KafkaStreams streams = new KafkaStreams(AugmentTopology.build(config), properties(cluster, config, stateDir));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Augmentation stage thread failed; shutting the stage down", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
        LOG.info("Augmentation stage {} started: {} -> {} (V={}, run {})", config.applicationId(),
                topics.samples().name(), topics.views().name(), config.viewCount(), config.runId());
        return new AugmentStage(streams);
    }

    /** The Streams client state. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The Streams client (metrics, state listeners). */
    public KafkaStreams streams() {
        return streams;
    }

    /** Stops the stage (commits, closes). */
    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
