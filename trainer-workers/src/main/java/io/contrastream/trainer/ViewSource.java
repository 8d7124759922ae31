package io.contrastream.trainer;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a trainer's views come from: the views topic ({@code io.contrastream.trainer.kafka}) or memory
 * ({@link InMemoryViewSource}), so the same training loop runs on both. Used from the trainer's thread only.
 */
public interface ViewSource extends AutoCloseable {

    /** Told when partitions move to or away from this source (Kafka rebalances). */
    interface Rebalance {
        /** Buffered views of these partitions must be dropped: the next owner re-reads them. */
        void revoked(Collection<TopicPartition> partitions);

        void assigned(Collection<TopicPartition> partitions);
    }

    /** Registers the rebalance callback; call before the first {@link #poll}. */
    void onRebalance(Rebalance rebalance);

    /** The next records (possibly none), waiting at most {@code timeout}. Keeps the group alive while paused. */
    List<SourcedView> poll(Duration timeout);

    /** Partitions currently owned. */
    Set<TopicPartition> assignment();

    /** Stops delivering from these partitions until resumed (unowned partitions are ignored). */
    void pause(Collection<TopicPartition> partitions);

    void resume(Collection<TopicPartition> partitions);

    /** Next offset to deliver for every owned partition: what a checkpoint commits. */
    Map<TopicPartition, Long> positions();

    /** True when the source will never deliver another record (an in-memory list fully delivered). */
    boolean exhausted();

    @Override
    void close();
}
