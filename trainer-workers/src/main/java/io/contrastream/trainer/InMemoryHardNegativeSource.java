package io.contrastream.trainer;

import io.contrastream.schemas.HardNegativeSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A {@link HardNegativeSource} over sets held in memory: the initial ones are delivered by the first {@link #poll()},
 * sets {@linkplain #add added} later (from any thread) by a following one. For benchmarks and tests.
 */
public final class InMemoryHardNegativeSource implements HardNegativeSource {
    private final Queue<HardNegativeSet> pending = new ConcurrentLinkedQueue<>();

    public InMemoryHardNegativeSource(List<HardNegativeSet> initial) {
        pending.addAll(initial);
    }

    /** Queues a set for the next poll. Thread-safe. */
    public void add(HardNegativeSet set) {
        pending.add(set);
    }

    @Override
    public List<HardNegativeSet> poll() {
        List<HardNegativeSet> out = new ArrayList<>();
        for (HardNegativeSet set = pending.poll(); set != null; set = pending.poll()) {
            out.add(set);
        }
        return out;
    }

    @Override
    public void close() {
    }
}
