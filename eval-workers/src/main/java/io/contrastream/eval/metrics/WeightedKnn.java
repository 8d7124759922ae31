package io.contrastream.eval.metrics;

import io.contrastream.eval.metrics.internal.DenseLabels;
import io.contrastream.eval.metrics.internal.RankedSelection;
import io.contrastream.eval.metrics.internal.SimilarityScan;
import io.contrastream.eval.metrics.internal.UnitRows;
import java.util.Arrays;

/**
 * Weighted k-nearest-neighbour classification of test embeddings against a memory (train) set, as in Wu, Xiong,
 * Yu, Lin, "Unsupervised Feature Learning via Non-Parametric Instance Discrimination", CVPR 2018, Sec. 3.4: the k
 * train items with the highest cosine similarity s_i vote for their class with weight exp(s_i / tau); the class with
 * the largest total wins (ties: smaller label). Neighbours with equal similarity are ranked by train index.
 * Defaults k = 200, tau = 0.07.
 */
public final class WeightedKnn {

    /** Default neighbourhood size. */
    public static final int DEFAULT_K = 200;
    /** Default temperature. */
    public static final double DEFAULT_TAU = 0.07;

    /**
     * @param predictions predicted label per test sample
     * @param accuracy    fraction of correct predictions
     * @param k           neighbourhood size actually used (capped at the memory size)
     * @param tau         temperature
     */
    public record Result(int[] predictions, double accuracy, int k, double tau) {
    }

    private final int k;
    private final double tau;

    /** k = 200, tau = 0.07. */
    public WeightedKnn() {
        this(DEFAULT_K, DEFAULT_TAU);
    }

    /**
     * @param k   neighbours, &gt;= 1
     * @param tau temperature, &gt; 0
     */
    public WeightedKnn(int k, double tau) {
        if (k < 1 || !(tau > 0)) {
            throw new IllegalArgumentException("WeightedKnn: k " + k + " must be >= 1 and tau " + tau + " > 0");
        }
        this.k = k;
        this.tau = tau;
    }

    /** Classifies {@code test} against the memory {@code train} and scores against {@code testLabels}. */
    public Result evaluate(float[][] train, int[] trainLabels, float[][] test, int[] testLabels) {
        DenseLabels.requireSameLength(train, trainLabels, "kNN memory");
        DenseLabels.requireSameLength(test, testLabels, "kNN test");
        UnitRows memory = UnitRows.of(train, "kNN memory");
        UnitRows queries = UnitRows.of(test, "kNN test");
        Rows rows = rows(trainLabels, testLabels);
        SimilarityScan.scan(queries, memory, rows.scorer());
        return rows.result();
    }

    /** Per-query state for test samples with {@code testLabels} against a memory with {@code trainLabels}. */
    Rows rows(int[] trainLabels, int[] testLabels) {
        return new Rows(trainLabels, testLabels);
    }

    /**
     * Classifies similarity rows one query at a time into per-query slots, so rows may arrive in any order and from
     * several threads (one {@link #scorer()} each).
     */
    final class Rows {
        private final DenseLabels classes;
        private final int[] dense;
        private final int kk;
        private final int[] testLabels;
        private final int[] predictions;

        private Rows(int[] trainLabels, int[] testLabels) {
            this.classes = DenseLabels.of(trainLabels);
            this.dense = classes.indexAll(trainLabels);
            this.kk = Math.min(k, trainLabels.length);
            this.testLabels = testLabels;
            this.predictions = new int[testLabels.length];
        }

        /** A row consumer with its own buffers; use one per thread. */
        SimilarityScan.RowConsumer scorer() {
            RankedSelection selection = new RankedSelection();
            int[] top = new int[kk];
            double[] votes = new double[classes.size()];
            return (q, sims, off, len) -> {
                int got = selection.select(sims, off, len, -1, kk, top);
                Arrays.fill(votes, 0);
                for (int r = 0; r < got; r++) {
                    votes[dense[top[r]]] += Math.exp(sims[off + top[r]] / tau);
                }
                int best = 0;
                for (int c = 1; c < votes.length; c++) {
                    if (votes[c] > votes[best]) {
                        best = c;
                    }
                }
                predictions[q] = classes.label(best);
            };
        }

        /** Standard error (see {@link MetricSuite}) of the accuracy as an estimate over {@code population} queries. */
        double standardError(int population) {
            double[] v = new double[predictions.length];
            for (int q = 0; q < v.length; q++) {
                v[q] = predictions[q] == testLabels[q] ? 1 : 0;
            }
            return QuerySample.standardError(v, v.length, population);
        }

        /** Accuracy over all test samples. */
        Result result() {
            int correct = 0;
            for (int q = 0; q < predictions.length; q++) {
                if (predictions[q] == testLabels[q]) {
                    correct++;
                }
            }
            return new Result(predictions, (double) correct / predictions.length, kk, tau);
        }
    }
}
