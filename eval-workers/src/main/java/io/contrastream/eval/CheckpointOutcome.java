package io.contrastream.eval;

import io.contrastream.eval.metrics.MetricValue;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the evaluator did with one checkpoint event. */
public sealed interface CheckpointOutcome {

    /** The run of the checkpoint ("?" when the event could not be decoded). */
    String runId();

    /** The training step of the checkpoint (-1 when the event could not be decoded). */
    long step();

    /**
     * Evaluated and published.
     *
     * @param runId         run
     * @param step          step
     * @param taskId        task of the checkpoint
     * @param suite         suite name
     * @param metrics       every published value
     * @param wallTime      time from receiving the event to having the metrics (publishing excluded)
     * @param continualNote what happened to the continual-learning metrics ("" when not a task-end checkpoint)
     */
    record Evaluated(String runId, long step, int taskId, String suite, List<MetricValue> metrics,
                     Duration wallTime, String continualNote) implements CheckpointOutcome {
        /** Copies the metrics. */
        public Evaluated {
            metrics = List.copyOf(metrics);
        }

        /** First value of {@code metric} (any labels), NaN when absent. */
        public double value(String metric) {
            return metrics.stream().filter(m -> m.name().equals(metric)).mapToDouble(MetricValue::value)
                    .findFirst().orElse(Double.NaN);
        }

        /** First value of {@code metric} with exactly these labels among its labels, NaN when absent. */
        public double value(String metric, Map<String, String> labels) {
            return metrics.stream().filter(m -> m.name().equals(metric)
                            && m.labels().entrySet().containsAll(labels.entrySet()))
                    .mapToDouble(MetricValue::value).findFirst().orElse(Double.NaN);
        }

        /**
         * One line: run, step, suite, wall time and the key metrics (recall@1, pooled AUC, kNN accuracy), marked as
         * estimates when the suite ranked a sample of queries (their records carry a {@code queries} label).
         */
        public String summaryLine() {
            String sampled = metrics.stream().filter(m -> m.name().equals("recall@1"))
                    .map(m -> m.labels().get("queries")).filter(java.util.Objects::nonNull).findFirst()
                    .map(q -> "  (estimates over " + q + " sampled queries)").orElse("");
            return String.format(Locale.ROOT, "run %s step %d [%s] %.2fs  recall@1 %.4f  auc %.4f  knn %.4f%s%s",
                    runId, step, suite, wallTime.toNanos() / 1e9, value("recall@1"),
                    value("auc", Map.of("mode", "pooled")), value("knn-accuracy"), sampled,
                    continualNote.isEmpty() ? "" : "  cl: " + continualNote);
        }
    }

    /**
     * Not evaluated because the input is bad; an EVALUATION_FAILED record and a dead letter were published.
     *
     * @param runId   run
     * @param step    step
     * @param failure why
     */
    record Failed(String runId, long step, CheckpointFailure failure) implements CheckpointOutcome {
    }

    /**
     * Not evaluated on purpose (other run than the filter); the offset was committed.
     *
     * @param runId run
     * @param step  step
     * @param why   why
     */
    record Skipped(String runId, long step, String why) implements CheckpointOutcome {
    }
}
