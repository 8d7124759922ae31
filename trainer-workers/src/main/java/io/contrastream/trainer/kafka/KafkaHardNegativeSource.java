package io.contrastream.trainer.kafka;

import io.contrastream.schemas.HardNegativeSet;
import io.contrastream.schemas.codec.EventCodec;
import io.contrastream.schemas.codec.EventDecodingException;
import io.contrastream.trainer.HardNegativeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted {@code hard-negatives} topic from the beginning, every partition assigned, without a group
 * (pass a consumer made with {@code KafkaClientConfigs.reader}, which reads committed records only).
 * {@link #poll()} polls with a zero timeout, so the training loop calls it between steps without blocking;
 * tombstones are skipped and undecodable records logged and skipped (the miner republishes a set with every
 * checkpoint, so a lost set only delays its anchor's mined negatives).
 */
public final class KafkaHardNegativeSource implements HardNegativeSource {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaHardNegativeSource.class);
    private static final EventCodec<HardNegativeSet> CODEC = EventCodec.of(HardNegativeSet.class);

    private final KafkaConsumer<byte[], byte[]> consumer;

    public KafkaHardNegativeSource(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        this.consumer = consumer;
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    @Override
    public List<HardNegativeSet> poll() {
        List<HardNegativeSet> sets = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ZERO)) {
            if (r.value() == null) {
                continue;
            }
            try {
                sets.add(CODEC.decode(r.value()));
            } catch (EventDecodingException e) {
                LOG.warn("skipping undecodable hard-negative set: {}", e.at(r.topic(), r.partition(), r.offset())
                        .getMessage());
            }
        }
        return sets;
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
