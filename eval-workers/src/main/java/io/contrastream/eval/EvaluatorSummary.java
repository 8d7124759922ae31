package io.contrastream.eval;

import java.time.Duration;
import java.util.List;

/**
 * What an {@link EvaluatorWorker} did between {@link EvaluatorWorker#run()} and its return.
 *
 * @param evaluated checkpoints evaluated and published
 * @param failed    checkpoints refused as bad input (EVALUATION_FAILED + dead letter)
 * @param skipped   checkpoints of other runs than the filter
 * @param wallTime  time spent in {@code run()}
 * @param outcomes  every outcome in order
 */
public record EvaluatorSummary(int evaluated, int failed, int skipped, Duration wallTime,
                               List<CheckpointOutcome> outcomes) {
    /** Copies the outcomes. */
    public EvaluatorSummary {
        outcomes = List.copyOf(outcomes);
    }
}
