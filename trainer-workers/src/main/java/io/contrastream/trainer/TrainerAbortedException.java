package io.contrastream.trainer;

/** A trainer stopped because continuing would be wrong; the message says why and what to do. */
public final class TrainerAbortedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Reason {
        /** Another instance with the same transactional id started; this one is a zombie. */
        FENCED,
        /** The parameters hold NaN or infinity; no checkpoint was published. */
        NON_FINITE_PARAMETERS,
        /** No usable checkpoint or configuration to continue from. */
        CANNOT_RESUME
    }

    private final Reason reason;

    public TrainerAbortedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
