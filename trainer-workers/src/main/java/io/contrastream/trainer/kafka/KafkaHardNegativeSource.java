package io.contrastream.trainer.kafka;

import io.contrastream.schemas.HardNegativeSet;
import io.contrastream.schemas.codec.EventCodec;
import io.contrastream.schemas.codec.EventDecodingException;
import io.contrastream.trainer.HardNegativeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted {@code hard-negatives} topic from the beginning, every partition assigned, without a group
 * (pass a consumer made with {@code KafkaClientConfigs.reader}, which reads committed records only).
 * On construction it reads what the topic holds up to its current end (bounded by {@code catchUp}), so sets mined
 * before the trainer started reach its first batches; after that {@link #poll()} polls with a zero timeout, so the
 * training loop calls it between steps without blocking;
 * tombstones are skipped and undecodable records logged and skipped (the miner republishes a set with every
 * checkpoint, so a lost set only delays its anchor's mined negatives).
 */
public final class KafkaHardNegativeSource implements HardNegativeSource {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaHardNegativeSource.class);
    private static final EventCodec<HardNegativeSet> CODEC = EventCodec.of(HardNegativeSet.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<HardNegativeSet> caughtUp = new ArrayList<>();

    /**
     * @param consumer a group-less consumer reading committed records; owned (closed) by this source
     * @param topic    the hard-negatives topic
     * @param catchUp  how long the constructor may read to reach the topic's current end; what is not read by then
     *                 arrives through later polls
     */
    public KafkaHardNegativeSource(KafkaConsumer<byte[], byte[]> consumer, String topic, Duration catchUp) {
        this.consumer = consumer;
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long deadline = System.nanoTime() + catchUp.toNanos();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                && System.nanoTime() < deadline) {
            read(Duration.ofMillis(100), caughtUp);
        }
        LOG.info("read {} hard-negative sets from {} at start", caughtUp.size(), topic);
    }

    @Override
    public List<HardNegativeSet> poll() {
        List<HardNegativeSet> sets = new ArrayList<>(caughtUp);
        caughtUp.clear();
        read(Duration.ZERO, sets);
        return sets;
    }

    private void read(Duration timeout, List<HardNegativeSet> sets) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
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
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
