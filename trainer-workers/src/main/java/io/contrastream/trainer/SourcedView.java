package io.contrastream.trainer;

import io.contrastream.schemas.AugmentedView;
import java.util.Objects;

/** One record a {@link ViewSource} delivered: raw bytes still to decode, or an already decoded view. */
public sealed interface SourcedView {

    /** Where the record was read. */
    ViewLocation location();

    /** A record as it came from Kafka; the trainer decodes it and dead-letters it if it is not a valid view. */
    record Raw(ViewLocation location, byte[] key, byte[] value) implements SourcedView {
        public Raw {
            Objects.requireNonNull(location, "Raw.location");
        }
    }

    /** A view decoded ahead of time (in-memory sources); still validated by the trainer. */
    record Decoded(ViewLocation location, AugmentedView view) implements SourcedView {
        public Decoded {
            Objects.requireNonNull(location, "Decoded.location");
            Objects.requireNonNull(view, "Decoded.view");
        }
    }
}
