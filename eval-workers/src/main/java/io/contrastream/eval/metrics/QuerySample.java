package io.contrastream.eval.metrics;

import io.contrastream.eval.metrics.internal.SeededSubset;
import io.contrastream.eval.metrics.internal.UnitRows;
import java.util.SplittableRandom;

/**
 * The seeded query sample of a {@link MetricSuite}: {@code queries} test samples drawn uniformly without
 * replacement (a partial Fisher-Yates shuffle driven by {@code SplittableRandom(seed ^ SALT)}), sorted ascending.
 * It depends only on the seed and the split size, so every checkpoint of a run scores the same queries.
 */
final class QuerySample {

    /** Keeps the query draw independent of other draws made with the suite seed. */
    private static final long SALT = 0x51A3_9E37_79B9_7F4AL;

    private QuerySample() {
    }

    /**
     * The sorted test indices to query, or {@code null} when every test sample is a query ({@code queries} is
     * {@link MetricSuite#ALL_QUERIES} or at least {@code n}).
     */
    static int[] choose(int n, int queries, long seed) {
        if (queries == MetricSuite.ALL_QUERIES || queries >= n) {
            return null;
        }
        return SeededSubset.sorted(n, queries, seed ^ SALT);
    }

    /** The rows {@code chosen} of {@code x}, copied bit for bit in that order. */
    static UnitRows rows(UnitRows x, int[] chosen) {
        int d = x.dim();
        float[] out = new float[chosen.length * d];
        for (int i = 0; i < chosen.length; i++) {
            System.arraycopy(x.data(), chosen[i] * d, out, i * d, d);
        }
        return new UnitRows(out, chosen.length, d);
    }

    /** {@code labels[chosen[i]]} for each i. */
    static int[] labels(int[] labels, int[] chosen) {
        int[] out = new int[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            out[i] = labels[chosen[i]];
        }
        return out;
    }

    /**
     * Standard error of the mean of {@code values[0 .. m)}, a simple random sample without replacement of a
     * population of {@code population} per-query values: {@code sqrt((1 - m / N) * s^2 / m)} with {@code s^2} the
     * sample variance (divisor m - 1). NaN when m &lt; 2; 0 when the sample is the whole population.
     */
    static double standardError(double[] values, int m, int population) {
        if (m < 2) {
            return Double.NaN;
        }
        double mean = 0;
        for (int i = 0; i < m; i++) {
            mean += values[i];
        }
        mean /= m;
        double ss = 0;
        for (int i = 0; i < m; i++) {
            double d = values[i] - mean;
            ss += d * d;
        }
        double fpc = Math.max(0, 1 - (double) m / population);
        return Math.sqrt(fpc * ss / (m - 1) / m);
    }
}
