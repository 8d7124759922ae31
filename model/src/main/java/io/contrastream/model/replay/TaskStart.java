package io.contrastream.model.replay;

/** Outcome of {@link ReplayBuffer#onTaskStart}. */
public sealed interface TaskStart {

    /** The task is now current. */
    record Started(int taskId) implements TaskStart {
    }

    /** A repeated START of the current task (e.g. redelivered control event): nothing changed. */
    record Duplicate(int taskId) implements TaskStart {
    }

    /**
     * Refused; the buffer is unchanged.
     *
     * @param reason  why
     * @param message names the run and task ids and what was expected
     */
    record Rejected(Reason reason, String message) implements TaskStart {
    }

    /** Why a START was refused. */
    enum Reason {
        /** The event names a run other than the buffer's. */
        UNKNOWN_RUN,
        /** The task id is neither the current one nor the next one. */
        OUT_OF_ORDER
    }
}
