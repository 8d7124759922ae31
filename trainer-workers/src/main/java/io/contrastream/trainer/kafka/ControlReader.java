package io.contrastream.trainer.kafka;

import io.contrastream.schemas.TaskEvent;
import io.contrastream.schemas.codec.EventCodec;
import io.contrastream.schemas.codec.EventDecodingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the control topic (one partition) from the beginning without a group and hands over the run's
 * {@link TaskEvent}s; {@link #get()} never blocks. Undecodable records are logged and skipped (the control topic
 * has no dead-letter path: its order matters and a trainer cannot repair it).
 */
public final class ControlReader implements Supplier<List<TaskEvent>>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlReader.class);
    private static final EventCodec<TaskEvent> CODEC = EventCodec.of(TaskEvent.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String runId;

    public ControlReader(KafkaConsumer<byte[], byte[]> consumer, String controlTopic, String runId) {
        this.consumer = consumer;
        this.runId = runId;
        TopicPartition partition = new TopicPartition(controlTopic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
    }

    @Override
    public List<TaskEvent> get() {
        List<TaskEvent> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ZERO)) {
            try {
                TaskEvent event = CODEC.decode(r.value());
                if (runId.equals(event.getRunId())) {
                    events.add(event);
                }
            } catch (EventDecodingException e) {
                LOG.warn("skipping undecodable control record: {}", e.at(r.topic(), r.partition(), r.offset())
                        .getMessage());
            }
        }
        return events;
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
