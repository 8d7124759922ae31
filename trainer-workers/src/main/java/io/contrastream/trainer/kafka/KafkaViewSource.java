package io.contrastream.trainer.kafka;

import io.contrastream.trainer.SourcedView;
import io.contrastream.trainer.ViewLocation;
import io.contrastream.trainer.ViewSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The views topic as a {@link ViewSource}: a consumer in the run's trainer group (read_committed, offsets committed
 * only inside checkpoint transactions). On the first assignment of a partition it seeks to the offset of the
 * checkpoint the trainer resumed from, if that checkpoint has one.
 */
public final class KafkaViewSource implements ViewSource {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaViewSource.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Map<TopicPartition, Long> resumeOffsets;
    private final Set<TopicPartition> seeked = new HashSet<>();
    private Rebalance rebalance;
    private boolean subscribed;

    /**
     * @param consumer      a consumer built from {@code KafkaClientConfigs.consumer} with byte-array deserializers;
     *                      this source closes it
     * @param topic         the views topic
     * @param resumeOffsets next offsets per partition from the checkpoint resumed from (empty for a fresh run)
     */
    public KafkaViewSource(KafkaConsumer<byte[], byte[]> consumer, String topic,
                           Map<TopicPartition, Long> resumeOffsets) {
        this.consumer = consumer;
        this.topic = topic;
        this.resumeOffsets = Map.copyOf(resumeOffsets);
    }

    @Override
    public void onRebalance(Rebalance rebalance) {
        this.rebalance = rebalance;
    }

    @Override
    public List<SourcedView> poll(Duration timeout) {
        if (!subscribed) {
            subscribed = true;
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (rebalance != null && !partitions.isEmpty()) {
                        rebalance.revoked(partitions);
                    }
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    for (TopicPartition tp : partitions) {
                        Long offset = resumeOffsets.get(tp);
                        if (offset != null && seeked.add(tp)) {
                            consumer.seek(tp, offset);
                            LOG.info("seeked {} to checkpoint offset {}", tp, offset);
                        }
                    }
                    if (rebalance != null) {
                        rebalance.assigned(partitions);
                    }
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    onPartitionsRevoked(partitions);
                }
            });
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        List<SourcedView> out = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            out.add(new SourcedView.Raw(new ViewLocation(r.topic(), r.partition(), r.offset()), r.key(), r.value()));
        }
        return out;
    }

    @Override
    public Set<TopicPartition> assignment() {
        return consumer.assignment();
    }

    @Override
    public void pause(Collection<TopicPartition> partitions) {
        consumer.pause(partitions);
    }

    @Override
    public void resume(Collection<TopicPartition> partitions) {
        consumer.resume(partitions);
    }

    @Override
    public Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> positions = new LinkedHashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            positions.put(tp, consumer.position(tp));
        }
        return positions;
    }

    /** The consumer's group metadata, for {@code sendOffsetsToTransaction}. */
    public ConsumerGroupMetadata groupMetadata() {
        return consumer.groupMetadata();
    }

    @Override
    public boolean exhausted() {
        return false;
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
