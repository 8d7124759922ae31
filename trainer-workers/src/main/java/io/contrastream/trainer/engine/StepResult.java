package io.contrastream.trainer.engine;

/** Outcome of {@link TrainingEngine#step}: the parameters were updated, or the update was skipped. */
public sealed interface StepResult {

    /** Number of updates applied so far (after this call). */
    long step();

    /** An update was applied. */
    record Stepped(long step, float loss, float learningRate, float gradientNorm) implements StepResult {
    }

    /** The update was skipped; parameters are unchanged. */
    record Skipped(long step, Reason reason, float loss, int consecutiveSkips) implements StepResult {
    }

    /** Why a step was skipped. */
    enum Reason {
        /** The loss was NaN or infinite. */
        NON_FINITE_LOSS,
        /** The loss was finite but a gradient was NaN or infinite. */
        NON_FINITE_GRADIENT
    }
}
