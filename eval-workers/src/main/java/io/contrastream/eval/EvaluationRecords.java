package io.contrastream.eval;

import io.contrastream.eval.metrics.MetricValue;
import io.contrastream.schemas.MetricRecord;
import io.contrastream.schemas.MetricStatus;
import java.time.Instant;
import java.util.Map;

/** Metric records of one checkpoint, as published on the metrics topic (keyed by {@link MetricKeys}). */
final class EvaluationRecords {

    /** Metric name of the record published for a checkpoint that could not be evaluated. */
    static final String FAILURE_METRIC = "evaluation";

    private EvaluationRecords() {
    }

    /** An OK record of one computed value. */
    static MetricRecord ok(String runId, long step, int taskId, MetricValue value, Instant at) {
        return MetricRecord.newBuilder().setRunId(runId).setStep(step).setTaskId(taskId).setMetric(value.name())
                .setValue(value.value()).setSplit(value.split()).setLabels(value.labels())
                .setStatus(MetricStatus.OK).setCreatedAt(at).build();
    }

    /** The EVALUATION_FAILED record of a refused checkpoint: metric "evaluation", value NaN, label reason. */
    static MetricRecord failed(String runId, long step, int taskId, CheckpointFailure failure, Instant at) {
        return MetricRecord.newBuilder().setRunId(runId).setStep(step).setTaskId(taskId).setMetric(FAILURE_METRIC)
                .setValue(Double.NaN).setSplit("test").setLabels(Map.of("reason", failure.label()))
                .setStatus(MetricStatus.EVALUATION_FAILED).setCreatedAt(at).build();
    }
}
