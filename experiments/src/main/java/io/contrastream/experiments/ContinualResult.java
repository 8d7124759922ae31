package io.contrastream.experiments;

import io.contrastream.data.schedule.TaskSchedule;
import io.contrastream.eval.metrics.AccuracyMatrix;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a {@link ContinualRun} measured.
 *
 * <p>{@code accuracy[i][j]} is the class-incremental accuracy on the test samples of evaluation task {@code j} after
 * training phase {@code i}: predictions range over every class seen so far, from the classifier fitted on the replay
 * buffer's exemplars only. Entries for tasks not yet trained are NaN. A sequential run (replay, finetune) has one
 * phase per task, so {@code accuracy} is the square matrix R of Lopez-Paz and Ranzato 2017; a joint run has one phase
 * and one row.
 *
 * <p>Forward transfer needs the accuracy on a task before it is trained, which class-incremental NME cannot give
 * (no exemplars of unseen classes). {@code probe[i][j]} ({@code j > i}) is therefore a within-task probe: NME over
 * {@code fwtProbePerClass} labelled training samples per class of task {@code j}, predicting among task {@code j}'s
 * classes only, with the backbone after phase {@code i}; {@code randomInit[j]} is the same probe with the randomly
 * initialised backbone (the b_j of Lopez-Paz and Ranzato). Both are empty when the probe is disabled.
 *
 * @param config        the experiment
 * @param evaluation    the evaluation tasks (the split's tasks, also for a joint run)
 * @param accuracy      per phase, per evaluation task
 * @param probe         within-task probe accuracies for unseen tasks (NaN elsewhere), or an empty array
 * @param randomInit    probe accuracies b_j of the random-init backbone, or an empty array
 * @param sizes         dataset sizes the numbers were measured on
 * @param steps         optimiser steps applied
 * @param trainSeconds  wall time spent training
 * @param evalSeconds   wall time spent evaluating
 * @param bufferByClass stored samples per class in the final buffer
 */
public record ContinualResult(ContinualExperimentConfig config, TaskSchedule evaluation, double[][] accuracy,
                              double[][] probe, double[] randomInit, DataSizes sizes, long steps,
                              double trainSeconds, double evalSeconds, SortedMap<Integer, Integer> bufferByClass) {

    /**
     * Dataset sizes.
     *
     * @param dataset       name
     * @param trainPerClass training samples per class streamed by the schedule's tasks (whole training split)
     * @param testPerClass  test samples per class
     */
    public record DataSizes(String dataset, int[] trainPerClass, int[] testPerClass) {

        /** Copies the arrays. */
        public DataSizes {
            trainPerClass = trainPerClass.clone();
            testPerClass = testPerClass.clone();
        }

        /** Total training samples. */
        public int train() {
            return Arrays.stream(trainPerClass).sum();
        }

        /** Total test samples. */
        public int test() {
            return Arrays.stream(testPerClass).sum();
        }
    }

    /** Deep-copies the arrays. */
    public ContinualResult {
        accuracy = deepCopy(accuracy);
        probe = deepCopy(probe);
        randomInit = randomInit.clone();
        bufferByClass = new TreeMap<>(bufferByClass);
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }

    /** Number of evaluation tasks. */
    public int taskCount() {
        return evaluation.size();
    }

    /** Whether the run trained one phase per evaluation task (replay, finetune) rather than jointly. */
    public boolean sequential() {
        return accuracy.length == taskCount();
    }

    /** The accuracy rows as an {@link AccuracyMatrix} (only the rows filled; without FWT baseline). */
    public AccuracyMatrix matrix() {
        AccuracyMatrix m = AccuracyMatrix.empty(taskCount());
        for (double[] row : accuracy) {
            m = m.withRow(row);
        }
        return m;
    }

    /**
     * Average accuracy after the last phase, {@code A_T = 1/(T+1) sum_j R[T][j]} over the trained tasks (Chaudhry et
     * al. 2018, Eq. 6); for a joint run, the mean of its single row over all evaluation tasks.
     */
    public OptionalDouble averageAccuracy() {
        if (sequential()) {
            return matrix().averageAccuracy();
        }
        double[] last = accuracy[accuracy.length - 1];
        return Arrays.stream(last).anyMatch(Double::isNaN) ? OptionalDouble.empty() : Arrays.stream(last).average();
    }

    /** Average forgetting (Chaudhry et al. 2018, Eq. 7-8); empty for a joint run. */
    public OptionalDouble forgetting() {
        return sequential() ? matrix().forgetting() : OptionalDouble.empty();
    }

    /** Backward transfer (Lopez-Paz and Ranzato 2017, Sec. 3); empty for a joint run. */
    public OptionalDouble backwardTransfer() {
        return sequential() ? matrix().backwardTransfer() : OptionalDouble.empty();
    }

    /**
     * Forward transfer {@code FWT = 1/T sum_{j=1..T} (P[j-1][j] - b_j)} (Lopez-Paz and Ranzato 2017, Sec. 3) on the
     * within-task probe described in the class Javadoc; empty for a joint run or without probes.
     */
    public OptionalDouble forwardTransfer() {
        int t = accuracy.length - 1;
        if (!sequential() || t < 1 || randomInit.length != taskCount() || probe.length != accuracy.length) {
            return OptionalDouble.empty();
        }
        double sum = 0;
        for (int j = 1; j <= t; j++) {
            double v = probe[j - 1][j] - randomInit[j];
            if (Double.isNaN(v)) {
                return OptionalDouble.empty();
            }
            sum += v;
        }
        return OptionalDouble.of(sum / t);
    }

    /** Learning accuracy, mean of the diagonal (Riemer et al. 2019); empty for a joint run. */
    public OptionalDouble learningAccuracy() {
        return sequential() ? matrix().learningAccuracy() : OptionalDouble.empty();
    }

    /** The summary metrics by name, in report order (absent ones omitted). */
    public Map<String, Double> summary() {
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        put(m, "averageAccuracy", averageAccuracy());
        put(m, "forgetting", forgetting());
        put(m, "backwardTransfer", backwardTransfer());
        put(m, "forwardTransfer", forwardTransfer());
        put(m, "learningAccuracy", learningAccuracy());
        return m;
    }

    private static void put(Map<String, Double> m, String key, OptionalDouble v) {
        if (v.isPresent()) {
            m.put(key, v.getAsDouble());
        }
    }
}
