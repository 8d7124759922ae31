package io.contrastream.trainer;

import io.contrastream.schemas.CheckpointEvent;
import java.util.Optional;

/**
 * What a finished {@link TrainerWorker#run()} did.
 *
 * @param reason          why it stopped
 * @param steps           steps applied (including those before a resume)
 * @param samples         samples trained (including those before a resume)
 * @param dropped         samples given up
 * @param deadLettered    records dead-lettered
 * @param otherRunViews   views of other runs skipped
 * @param skippedSteps    steps whose update was skipped (non-finite loss or gradient); their samples count as done
 *                        for the task but not as trained
 * @param skippedSamples  samples of those steps
 * @param negativesMined  explicit negatives of trained batches that were mined candidates (hard negatives on)
 * @param negativesFilled explicit negatives of trained batches drawn from the cache to complete {@code M}
 * @param lastCheckpoint  the last checkpoint this run committed, if any
 */
public record TrainerSummary(StopReason reason, long steps, long samples, long dropped, long deadLettered,
                             long otherRunViews, long skippedSteps, long skippedSamples, long negativesMined,
                             long negativesFilled, Optional<CheckpointEvent> lastCheckpoint) {

    /** Why a trainer stopped. */
    public enum StopReason {
        /** {@link TrainerConfig#maxSteps()} reached; a final checkpoint was written. */
        MAX_STEPS,
        /** The run's last task ended ({@link TrainerConfig#stopAfterLastTask()}); its task-end checkpoint is final. */
        LAST_TASK,
        /** Nothing arrived for {@link TrainerConfig#idleTimeout()}; a final checkpoint was written. */
        IDLE,
        /** An in-memory source ran out of views; a final checkpoint was written if checkpoints are enabled. */
        SOURCE_EXHAUSTED,
        /** {@link TrainerWorker#stop()} was called; no checkpoint was written (resume replays from the last one). */
        STOPPED
    }
}
