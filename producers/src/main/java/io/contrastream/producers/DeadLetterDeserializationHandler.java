package io.contrastream.producers;

import io.contrastream.infra.DeadLetters;
import io.contrastream.infra.Topic;
import io.contrastream.infra.TopicCatalog;
import io.contrastream.infra.TopicSpec;
import io.contrastream.schemas.DeadLetter;
import io.contrastream.schemas.codec.EventSerde;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records Kafka Streams cannot deserialize to the dead-letter topic and lets the stage go on
 * ({@code CONTINUE}); if the dead letter cannot be written the stage fails ({@code FAIL}) rather than drop the
 * record silently.
 *
 * <p>Kafka Streams 4.1's handler can only answer CONTINUE or FAIL, so the dead letter goes through a side producer
 * (idempotent, {@code acks=all}), sent synchronously before the answer. It is outside the stage's exactly-once
 * transaction: after a crash the same bad record can be dead-lettered twice (at-least-once).
 *
 * <p>Configuration (in the Streams properties, see {@link AugmentStage}): {@link #DEAD_LETTER_TOPIC} (the topic
 * name), {@link #WORKER} (optional), and {@link #PRODUCER}, an existing {@code Producer<String, DeadLetter>} to use
 * (its owner closes it); without it the handler creates one from the producer settings among the properties
 * (bootstrap servers, security), closed when the JVM exits.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    /** Property: name of the dead-letter topic. */
    public static final String DEAD_LETTER_TOPIC = "contrastream.dead-letter.topic";
    /** Property: worker name written into dead letters. */
    public static final String WORKER = "contrastream.dead-letter.worker";
    /** Property: a {@code Producer<String, DeadLetter>} instance to send with. */
    public static final String PRODUCER = "contrastream.dead-letter.producer";
    /** Error type of dead letters from this handler. */
    public static final String ERROR_TYPE = "DESERIALIZATION";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private Topic<String, DeadLetter> topic;
    private String worker;
    private Producer<String, DeadLetter> producer;
    private Map<String, Object> producerSettings;

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        Object name = configs.get(DEAD_LETTER_TOPIC);
        if (name == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " needs the property " + DEAD_LETTER_TOPIC
                    + " (the dead-letter topic name)");
        }
        String topicName = name.toString();
        TopicSpec d = TopicCatalog.defaults().deadLetter();
        this.topic = new Topic<>(new TopicSpec(topicName, d.partitions(), d.replicationFactor(), d.cleanup(),
                d.retentionMs(), d.maxMessageBytes()), Serdes.String(), EventSerde.of(DeadLetter.class));
        this.worker = configs.containsKey(WORKER) ? configs.get(WORKER).toString() : AugmentTopology.WORKER;
        Object given = configs.get(PRODUCER);
        if (given instanceof Producer<?, ?> p) {
            this.producer = (Producer<String, DeadLetter>) p;
        } else {
            Set<String> known = ProducerConfig.configNames();
            Map<String, Object> settings = new HashMap<>();
            configs.forEach((k, v) -> {
                if (known.contains(k) && v != null) {
                    settings.put(k, v);
                }
            });
            settings.put(ProducerConfig.ACKS_CONFIG, "all");
            settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            settings.put(ProducerConfig.CLIENT_ID_CONFIG, worker + "-dead-letters");
            this.producerSettings = settings;
        }
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                                 Exception exception) {
        String reason = exception.getMessage() == null ? exception.toString() : exception.getMessage();
        LOG.warn("Undecodable record at {}-{}@{} sent to {}: {}", record.topic(), record.partition(), record.offset(),
                topic.name(), reason);
        try {
            producer().send(DeadLetters.of(topic, record, ERROR_TYPE, reason, worker)).get(30, TimeUnit.SECONDS);
            return DeserializationHandlerResponse.CONTINUE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.error("Interrupted while dead-lettering {}-{}@{}; failing the stage", record.topic(),
                    record.partition(), record.offset());
            return DeserializationHandlerResponse.FAIL;
        } catch (Exception e) {
            LOG.error("Cannot write the dead letter for {}-{}@{} to {}: {}; failing the stage rather than dropping it",
                    record.topic(), record.partition(), record.offset(), topic.name(), e.toString());
            return DeserializationHandlerResponse.FAIL;
        }
    }

    private synchronized Producer<String, DeadLetter> producer() {
        if (producer == null) {
            KafkaProducer<String, DeadLetter> created = new KafkaProducer<>(producerSettings, new StringSerializer(),
                    EventSerde.of(DeadLetter.class).serializer());
            Runtime.getRuntime().addShutdownHook(new Thread(created::close, "dead-letter-producer-close"));
            producer = created;
        }
        return producer;
    }
}
