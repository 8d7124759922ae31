package io.contrastream.trainer.kafka;

import io.contrastream.schemas.CheckpointEvent;
import io.contrastream.schemas.DeadLetter;
import io.contrastream.schemas.ReplayEntry;
import io.contrastream.schemas.codec.EventCodec;
import io.contrastream.trainer.TrainerAbortedException;
import io.contrastream.trainer.internal.CheckpointSink;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a checkpoint in one Kafka transaction: the {@link CheckpointEvent} (key: run id) on the checkpoints
 * topic, the dead letters it covers, the replay-buffer slots changed since the previous checkpoint (compacted
 * replay topic, key {@code <runId>/<slot>}), and the consumer offsets ({@code sendOffsetsToTransaction} with the group's
 * metadata). The transactional producer must already have called {@code initTransactions()}.
 */
public final class KafkaCheckpointSink implements CheckpointSink {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaCheckpointSink.class);
    private static final EventCodec<CheckpointEvent> CHECKPOINTS = EventCodec.of(CheckpointEvent.class);
    private static final EventCodec<DeadLetter> DEAD_LETTERS = EventCodec.of(DeadLetter.class);
    private static final EventCodec<ReplayEntry> REPLAY = EventCodec.of(ReplayEntry.class);

    private final KafkaProducer<String, byte[]> producer;
    private final String checkpointsTopic;
    private final KafkaViewSource source;
    private final String transactionalId;

    public KafkaCheckpointSink(KafkaProducer<String, byte[]> producer, String checkpointsTopic,
                               KafkaViewSource source, String transactionalId) {
        this.producer = producer;
        this.checkpointsTopic = checkpointsTopic;
        this.source = source;
        this.transactionalId = transactionalId;
    }

    @Override
    public void publish(CheckpointEvent event, List<ProducerRecord<String, DeadLetter>> deadLetters,
                        List<ProducerRecord<String, ReplayEntry>> replaySlots, Map<TopicPartition, Long> offsets) {
        try {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(checkpointsTopic, event.getRunId(), CHECKPOINTS.encode(event)));
            for (ProducerRecord<String, DeadLetter> letter : deadLetters) {
                producer.send(new ProducerRecord<>(letter.topic(), letter.partition(), letter.key(),
                        DEAD_LETTERS.encode(letter.value()), letter.headers()));
            }
            for (ProducerRecord<String, ReplayEntry> slot : replaySlots) {
                producer.send(new ProducerRecord<>(slot.topic(), slot.key(),
                        slot.value() == null ? null : REPLAY.encode(slot.value())));
            }
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            offsets.forEach((tp, offset) -> commit.put(tp, new OffsetAndMetadata(offset)));
            producer.sendOffsetsToTransaction(commit, source.groupMetadata());
            producer.commitTransaction();
        } catch (ProducerFencedException e) {
            throw new TrainerAbortedException(TrainerAbortedException.Reason.FENCED, "another trainer instance with"
                    + " transactional id '" + transactionalId + "' took over; this instance stops without"
                    + " publishing checkpoint step " + event.getStep() + ". Run one instance per instanceId.", e);
        } catch (KafkaException e) {
            LOG.error("checkpoint step {} transaction failed; aborting it: {}", event.getStep(), e.toString());
            try {
                producer.abortTransaction();
            } catch (KafkaException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
