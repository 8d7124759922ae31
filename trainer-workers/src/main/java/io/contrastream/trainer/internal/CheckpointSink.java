package io.contrastream.trainer.internal;

import io.contrastream.schemas.CheckpointEvent;
import io.contrastream.schemas.DeadLetter;
import io.contrastream.schemas.ReplayEntry;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/** Publishes a checkpoint together with the dead letters and source offsets it covers, atomically. */
public interface CheckpointSink extends AutoCloseable {

    /** Whether the loop should write checkpoints at all. */
    default boolean enabled() {
        return true;
    }

    /**
     * Publishes {@code event}, the {@code deadLetters}, the changed {@code replaySlots} (a {@code null} value is a
     * tombstone for an emptied slot) and the consumer {@code offsets} in one transaction.
     *
     * @throws io.contrastream.trainer.TrainerAbortedException if this instance has been fenced
     */
    void publish(CheckpointEvent event, List<ProducerRecord<String, DeadLetter>> deadLetters,
                 List<ProducerRecord<String, ReplayEntry>> replaySlots, Map<TopicPartition, Long> offsets);

    @Override
    void close();

    /** No checkpoints (benchmarks): the loop writes no files and publishes nothing. */
    static CheckpointSink disabled() {
        return new CheckpointSink() {
            @Override
            public boolean enabled() {
                return false;
            }

            @Override
            public void publish(CheckpointEvent event, List<ProducerRecord<String, DeadLetter>> deadLetters,
                                List<ProducerRecord<String, ReplayEntry>> replaySlots,
                                Map<TopicPartition, Long> offsets) {
                throw new IllegalStateException("checkpoints are disabled for this trainer");
            }

            @Override
            public void close() {
            }
        };
    }
}
