package io.contrastream.model;

import java.util.Arrays;

/** Thrown when a serialized {@link EncoderSpec} names an encoder kind this build does not know. */
public final class UnknownEncoderKindException extends InvalidEncoderSpecException {
    private static final long serialVersionUID = 1L;
    private final String kind;

    public UnknownEncoderKindException(String kind) {
        super("kind", "unknown encoder kind '" + kind + "'; expected one of "
                + Arrays.toString(EncoderSpec.Kind.values()));
        this.kind = kind;
    }

    /** The unrecognised kind exactly as it was given. */
    public String kind() {
        return kind;
    }
}
