package io.contrastream.trainer;

import io.contrastream.schemas.HardNegativeSet;
import java.util.List;

/**
 * Where a trainer's mined hard-negative sets come from: the {@code hard-negatives} topic
 * ({@code io.contrastream.trainer.kafka}) or memory ({@link InMemoryHardNegativeSource}), so the same selection runs
 * on both. Polled from the trainer's thread between steps; {@link #poll()} must not block.
 */
public interface HardNegativeSource extends AutoCloseable {

    /** The sets that arrived since the last call (possibly none, of any run), in arrival order; never blocks. */
    List<HardNegativeSet> poll();

    @Override
    void close();

    /** A source that never delivers a set: negatives are then only filled from the trainer's cache. */
    static HardNegativeSource none() {
        return new HardNegativeSource() {
            @Override
            public List<HardNegativeSet> poll() {
                return List.of();
            }

            @Override
            public void close() {
            }
        };
    }
}
