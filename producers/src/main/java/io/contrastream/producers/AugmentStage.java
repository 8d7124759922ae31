package io.contrastream.producers;

import io.contrastream.infra.EventTopics;
import io.contrastream.infra.KafkaClientConfigs;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.schemas.DeadLetter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link AugmentTopology} on a cluster with {@code exactly_once_v2} ({@link KafkaClientConfigs#streams}) and
 * {@link DeadLetterDeserializationHandler} for undecodable records. Close it to stop.
 */
public final class AugmentStage implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AugmentStage.class);

    private final KafkaStreams streams;
    private final Producer<String, DeadLetter> deadLetters;

    private AugmentStage(KafkaStreams streams, Producer<String, DeadLetter> deadLetters) {
        this.streams = streams;
        this.deadLetters = deadLetters;
    }

    /** Builds the Streams properties of the stage; {@code deadLetters} is the handler's producer. */
    public static Properties properties(KafkaCluster cluster, AugmentConfig config, Path stateDir,
                                        Producer<String, DeadLetter> deadLetters) {
        Map<String, Object> map = KafkaClientConfigs.streams(cluster, config.applicationId(), stateDir);
        map.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class.getName());
        map.put(DeadLetterDeserializationHandler.DEAD_LETTER_TOPIC, config.topics().deadLetter().name());
        map.put(DeadLetterDeserializationHandler.WORKER, AugmentTopology.WORKER);
        map.put(DeadLetterDeserializationHandler.PRODUCER, deadLetters);
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
        Producer<String, DeadLetter> deadLetters = new KafkaProducer<>(
                KafkaClientConfigs.producer(cluster, config.applicationId() + "-dead-letters"),
                topics.deadLetter().keySerde().serializer(), topics.deadLetter().valueSerde().serializer());
        KafkaStreams streams = new KafkaStreams(AugmentTopology.build(config),
                properties(cluster, config, stateDir, deadLetters));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Augmentation stage thread failed; shutting the stage down", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
        LOG.info("Augmentation stage {} started: {} -> {} (V={}, run {})", config.applicationId(),
                topics.samples().name(), topics.views().name(), config.viewCount(), config.runId());
        return new AugmentStage(streams, deadLetters);
    }

    /** The Streams client state. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The Streams client (metrics, state listeners). */
    public KafkaStreams streams() {
        return streams;
    }

    /** Stops the stage (commits, closes) and its dead-letter producer. */
    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        deadLetters.close(Duration.ofSeconds(10));
    }
}
