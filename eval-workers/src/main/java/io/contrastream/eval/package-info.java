/**
 * Evaluation workers: {@link io.contrastream.eval.EvaluatorWorker} turns checkpoint events into metric records.
 *
 * <h2>Metrics topic contract</h2>
 * <ul>
 *   <li>Key: {@code run/step/metric[label=value,...]/split} ({@link io.contrastream.eval.MetricKeys}); labels
 *       sorted by name, brackets omitted without labels; {@code % / [ ] = ,} percent-encoded inside components. One
 *       key = one value of one checkpoint: a re-evaluation replaces it in every table.</li>
 *   <li>Value: {@code MetricRecord} (runId, step, taskId of the checkpoint, metric, value, split, labels, status,
 *       createdAt).</li>
 *   <li>Suite metrics (split "test"): recall@1/5/10, mrr@10, map@r, auc {mode=pooled, sampled, pairs},
 *       auc-per-query, knn-accuracy {k, tau}; full suite adds linear-probe-accuracy, nme-accuracy, alignment
 *       {alpha, pairs, sampled}, uniformity {t, pairs, sampled}, robust-accuracy and robust-recall@1
 *       {attack, epsilon}, corruption-accuracy {corruption, severity}. When the suite scores a seeded query
 *       sample (the fast suite: 2,000 queries by default, see {@code MetricSuite}), recall@K, mrr@10, map@r, auc,
 *       auc-per-query and knn-accuracy also carry {queries=&lt;m&gt;}: estimates, keyed apart from exact values.</li>
 *   <li>Continual metrics, task-end checkpoints with a "replay" attachment only: cl-accuracy {task} per task
 *       0..taskId (iCaRL nearest-mean-of-exemplars over the buffer, scored on test samples of that task's classes,
 *       predictions over every buffered class), cl-average-accuracy, knn-buffer-accuracy {k}. Without a replay
 *       attachment, with an empty buffer, or without START task events for the run, they are skipped and the
 *       reason is logged: class means of other data would not measure what the learner remembers.</li>
 *   <li>Failures: metric "evaluation", value NaN, status EVALUATION_FAILED, label reason (undecodable-event is
 *       dead-lettered only, having no run or step; invalid-event, unknown-encoder-kind, invalid-encoder-spec,
 *       input-shape-mismatch, file-missing, size-mismatch, hash-mismatch, malformed, evaluation-error), always
 *       with a dead letter carrying the checkpoint event's bytes, in the same transaction.</li>
 * </ul>
 * The aggregator ({@link io.contrastream.eval.aggregate.MetricsAggregator}) derives cl-avg-accuracy, cl-forgetting and
 * cl-bwt per run onto the metrics-summary topic (same key format; step and task of the last task-end checkpoint).
 */
package io.contrastream.eval;
