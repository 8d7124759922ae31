package io.contrastream.eval;

/** Progress of an {@link EvaluatorWorker}; called on the worker thread, so keep it quick. */
public interface EvaluationListener {

    /** The worker is subscribed and its evaluation data is loaded. */
    default void onStarted(String groupId, int testSamples, int trainSamples) {
    }

    /** A stage of one checkpoint's evaluation finished ({@code done} of {@code total}). */
    default void onProgress(String runId, long step, String stage, int done, int total) {
    }

    /** A checkpoint was evaluated, failed or skipped; its records are committed. */
    default void onOutcome(CheckpointOutcome outcome) {
    }

    /** A listener that ignores everything. */
    static EvaluationListener none() {
        return new EvaluationListener() {
        };
    }
}
