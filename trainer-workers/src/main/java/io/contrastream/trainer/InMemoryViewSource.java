package io.contrastream.trainer;

import io.contrastream.schemas.AugmentedView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * A {@link ViewSource} over decoded views held in memory, one list per partition, delivered in order, at most
 * {@code maxPollRecords} per {@link #poll}. For benchmarks and tests: it feeds the same loop the Kafka source feeds.
 */
public final class InMemoryViewSource implements ViewSource {
    private final Map<TopicPartition, List<AugmentedView>> partitions = new LinkedHashMap<>();
    private final Map<TopicPartition, Integer> next = new LinkedHashMap<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private final int maxPollRecords;
    private boolean announced;
    private Rebalance rebalance;

    /**
     * @param topic          topic name reported in {@link ViewLocation}s
     * @param partitions     views per partition, in delivery order (the offset is the index)
     * @param maxPollRecords records per poll, like Kafka's {@code max.poll.records}
     */
    public InMemoryViewSource(String topic, List<List<AugmentedView>> partitions, int maxPollRecords) {
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException("maxPollRecords must be >= 1, got " + maxPollRecords);
        }
        for (int p = 0; p < partitions.size(); p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            this.partitions.put(tp, List.copyOf(partitions.get(p)));
            next.put(tp, 0);
        }
        this.maxPollRecords = maxPollRecords;
    }

    @Override
    public void onRebalance(Rebalance rebalance) {
        this.rebalance = rebalance;
    }

    @Override
    public List<SourcedView> poll(Duration timeout) {
        if (!announced) {
            announced = true;
            if (rebalance != null) {
                rebalance.assigned(partitions.keySet());
            }
        }
        List<SourcedView> out = new ArrayList<>(maxPollRecords);
        for (Map.Entry<TopicPartition, List<AugmentedView>> e : partitions.entrySet()) {
            TopicPartition tp = e.getKey();
            if (paused.contains(tp)) {
                continue;
            }
            int from = next.get(tp);
            int to = Math.min(e.getValue().size(), from + maxPollRecords - out.size());
            for (int i = from; i < to; i++) {
                out.add(new SourcedView.Decoded(new ViewLocation(tp.topic(), tp.partition(), i), e.getValue().get(i)));
            }
            next.put(tp, to);
            if (out.size() >= maxPollRecords) {
                break;
            }
        }
        return out;
    }

    @Override
    public Set<TopicPartition> assignment() {
        return partitions.keySet();
    }

    @Override
    public void pause(Collection<TopicPartition> tps) {
        paused.addAll(tps);
    }

    @Override
    public void resume(Collection<TopicPartition> tps) {
        paused.removeAll(tps);
    }

    @Override
    public Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> positions = new LinkedHashMap<>();
        next.forEach((tp, n) -> positions.put(tp, (long) n));
        return positions;
    }

    @Override
    public boolean exhausted() {
        return partitions.entrySet().stream().allMatch(e -> next.get(e.getKey()) >= e.getValue().size());
    }

    @Override
    public void close() {
    }
}
