package io.contrastream.trainer.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Groups the V views of each (sampleId, epoch) into an {@link AssembledSample}. A sample whose views have not all
 * arrived {@code incompleteTimeoutMillis} after its first view is given up ({@link #expire}); a second view with the
 * same index replaces nothing and is reported as a duplicate. Not thread-safe.
 */
public final class ViewAssembler {
    private final int views;
    private final long incompleteTimeoutMillis;
    private final Map<String, Partial> partials = new LinkedHashMap<>();

    public ViewAssembler(int views, long incompleteTimeoutMillis) {
        if (views < 1 || incompleteTimeoutMillis <= 0) {
            throw new IllegalArgumentException("views must be >= 1 and the timeout > 0, got " + views + ", "
                    + incompleteTimeoutMillis);
        }
        this.views = views;
        this.incompleteTimeoutMillis = incompleteTimeoutMillis;
    }

    /** Result of {@link #add}. */
    public sealed interface Added {
        /** The view completed its sample. */
        record Completed(AssembledSample sample) implements Added {
        }

        /** Stored; the sample still misses views. */
        record Waiting(int missing) implements Added {
        }

        /** A view with this (sampleId, epoch, viewIndex) is already buffered; this one was not kept. */
        record Duplicate(BufferedView kept) implements Added {
        }
    }

    /** Adds a validated view (its index in [0, V)). */
    public Added add(BufferedView view, long nowMillis) {
        String key = view.view().getSampleId() + "#" + view.view().getEpoch();
        Partial partial = partials.computeIfAbsent(key, k -> new Partial(view.view().getSampleId(),
                view.view().getEpoch(), view.taskId(), nowMillis, new BufferedView[views]));
        int index = view.view().getViewIndex();
        if (partial.slots[index] != null) {
            return new Added.Duplicate(partial.slots[index]);
        }
        partial.slots[index] = view;
        partial.count++;
        if (partial.count < views) {
            return new Added.Waiting(views - partial.count);
        }
        partials.remove(key);
        return new Added.Completed(partial.toSample());
    }

    /**
     * Removes and returns the samples of tasks up to {@code maxTaskId} whose first view arrived more than the timeout
     * before {@code nowMillis}. Samples of later tasks wait behind the task gate (their partitions are paused), so
     * their clock only starts when their task does ({@link #restartClock}).
     */
    public List<Incomplete> expire(long nowMillis, int maxTaskId) {
        List<Incomplete> expired = new ArrayList<>();
        Iterator<Partial> it = partials.values().iterator();
        while (it.hasNext()) {
            Partial partial = it.next();
            if (partial.taskId <= maxTaskId && nowMillis - partial.firstArrivalMillis > incompleteTimeoutMillis) {
                it.remove();
                expired.add(partial.toIncomplete());
            }
        }
        return expired;
    }

    /** Restarts the incomplete-timeout clock of every held sample of {@code taskId} (its task just started). */
    public void restartClock(int taskId, long nowMillis) {
        for (Partial partial : partials.values()) {
            if (partial.taskId == taskId) {
                partial.firstArrivalMillis = nowMillis;
            }
        }
    }

    /** Drops the buffered views of these partitions (rebalance); returns how many samples were dropped. */
    public int dropPartitions(Collection<TopicPartition> partitions) {
        Set<TopicPartition> set = Set.copyOf(partitions);
        int dropped = 0;
        Iterator<Partial> it = partials.values().iterator();
        while (it.hasNext()) {
            Partial partial = it.next();
            if (Arrays.stream(partial.slots).anyMatch(v -> v != null
                    && set.contains(v.location().topicPartition()))) {
                it.remove();
                dropped++;
            }
        }
        return dropped;
    }

    /** Incomplete samples of tasks up to {@code maxTaskId} currently held. */
    public int incompleteSamples(int maxTaskId) {
        int n = 0;
        for (Partial partial : partials.values()) {
            if (partial.taskId <= maxTaskId) {
                n++;
            }
        }
        return n;
    }

    /** Incomplete samples currently held. */
    public int incompleteSamples() {
        return partials.size();
    }

    /** Every view of an incomplete sample, in arrival order of their samples. */
    public List<BufferedView> bufferedViews() {
        List<BufferedView> out = new ArrayList<>();
        for (Partial partial : partials.values()) {
            for (BufferedView view : partial.slots) {
                if (view != null) {
                    out.add(view);
                }
            }
        }
        return out;
    }

    /**
     * A sample given up because not all of its views arrived in time.
     *
     * @param sampleId sample id
     * @param epoch    epoch
     * @param taskId   task id
     * @param present  view indices that did arrive
     */
    public record Incomplete(String sampleId, int epoch, int taskId, List<Integer> present) {
    }

    private static final class Partial {
        final String sampleId;
        final int epoch;
        final int taskId;
        long firstArrivalMillis;
        final BufferedView[] slots;
        int count;

        Partial(String sampleId, int epoch, int taskId, long firstArrivalMillis, BufferedView[] slots) {
            this.sampleId = sampleId;
            this.epoch = epoch;
            this.taskId = taskId;
            this.firstArrivalMillis = firstArrivalMillis;
            this.slots = slots;
        }

        AssembledSample toSample() {
            return new AssembledSample(sampleId, epoch, taskId, List.of(slots));
        }

        Incomplete toIncomplete() {
            List<Integer> present = new ArrayList<>();
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] != null) {
                    present.add(i);
                }
            }
            return new Incomplete(sampleId, epoch, taskId, present);
        }
    }
}
