package io.contrastream.model.replay;

import java.util.Optional;

/** What {@link ReplayBuffer#offer} did with a sample. */
public sealed interface Offer {

    /**
     * The sample was copied into {@code slot}.
     *
     * @param slot     slot index written (publish its {@code ReplayEntry} if the compacted replay topic is on)
     * @param evicted  id of the sample it replaced, empty when the slot was free
     */
    record Stored(int slot, Optional<String> evicted) implements Offer {
    }

    /** The policy kept the buffer as it was (reservoir coin, or the sample's class is already a largest one). */
    record Skipped() implements Offer {
    }
}
