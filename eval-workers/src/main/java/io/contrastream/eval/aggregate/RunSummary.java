package io.contrastream.eval.aggregate;

import io.contrastream.schemas.MetricRecord;
import io.contrastream.schemas.MetricStatus;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Per-run view of the latest-value table: how many distinct metric keys a run has (a re-published key counts once),
 * how many are evaluation failures, and the evaluated steps with their key counts.
 *
 * @param runId  run
 * @param values distinct metric keys
 * @param failed keys with status EVALUATION_FAILED
 * @param steps  step to number of keys at that step
 */
public record RunSummary(String runId, int values, int failed, SortedMap<Long, Integer> steps) {

    /** Copies the steps. */
    public RunSummary {
        steps = new TreeMap<>(steps);
    }

    /** Empty summary (aggregation initialiser). */
    public static RunSummary empty() {
        return new RunSummary("", 0, 0, new TreeMap<>());
    }

    /** Copy with {@code r} added. */
    public RunSummary add(MetricRecord r) {
        TreeMap<Long, Integer> next = new TreeMap<>(steps);
        next.merge(r.getStep(), 1, Integer::sum);
        return new RunSummary(r.getRunId(), values + 1, failed + (r.getStatus() == MetricStatus.EVALUATION_FAILED
                ? 1 : 0), next);
    }

    /** Copy with {@code r} (previously added) removed. */
    public RunSummary remove(MetricRecord r) {
        TreeMap<Long, Integer> next = new TreeMap<>(steps);
        next.computeIfPresent(r.getStep(), (s, n) -> n > 1 ? n - 1 : null);
        return new RunSummary(r.getRunId(), values - 1, failed - (r.getStatus() == MetricStatus.EVALUATION_FAILED
                ? 1 : 0), next);
    }

    /** Latest evaluated step, -1 when none. */
    public long latestStep() {
        return steps.isEmpty() ? -1 : steps.lastKey();
    }
}
