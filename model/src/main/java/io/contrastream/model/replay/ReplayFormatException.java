package io.contrastream.model.replay;

import java.io.IOException;

/** A replay buffer file that cannot be read (wrong magic, unsupported version, truncated, inconsistent header). */
public final class ReplayFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The message names the field and the offending value. */
    public ReplayFormatException(String message) {
        super(message);
    }

    /** With the underlying I/O failure. */
    public ReplayFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
