package io.contrastream.experiments;

import io.contrastream.data.schedule.Task;

/** Progress callbacks of a {@link ContinualRun} (the CLI prints them); every method defaults to doing nothing. */
public interface ContinualListener {

    /**
     * Progress after one optimiser step.
     *
     * @param phase            training phase (task index; 0 for joint)
     * @param epoch            epoch within the task of the batch
     * @param step             optimiser steps applied so far in the run
     * @param loss             the step's loss (NaN when skipped)
     * @param samplesDone      current-task samples consumed so far in this phase
     * @param samplesExpected  current-task samples of this phase, -1 if unknown
     * @param replayed         replayed samples in the step
     * @param samplesPerSecond current-task samples per second over the phase so far
     */
    record StepProgress(int phase, int epoch, long step, float loss, long samplesDone, long samplesExpected,
                        int replayed, double samplesPerSecond) {
    }

    /** A phase starts. */
    default void onTaskStart(int phase, Task task, long samplesExpected) {
    }

    /** After each optimiser step. */
    default void onStep(StepProgress progress) {
    }

    /** A phase ended and was evaluated: {@code row[j]} is the accuracy on evaluation task {@code j}. */
    default void onTaskEnd(int phase, double[] row, double trainSeconds, double evalSeconds) {
    }

    /** A listener that ignores everything. */
    static ContinualListener none() {
        return new ContinualListener() {
        };
    }
}
