package io.contrastream.trainer;

import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a view record was read: topic, partition and offset.
 *
 * @param topic     source topic
 * @param partition partition
 * @param offset    offset of the record
 */
public record ViewLocation(String topic, int partition, long offset) {
    public ViewLocation {
        Objects.requireNonNull(topic, "ViewLocation.topic");
    }

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
