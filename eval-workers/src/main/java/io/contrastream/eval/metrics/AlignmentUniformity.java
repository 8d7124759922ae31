package io.contrastream.eval.metrics;

import io.contrastream.eval.metrics.internal.DenseLabels;
import io.contrastream.eval.metrics.internal.UnitRows;
import java.util.SplittableRandom;

/**
 * Alignment and uniformity of L2-normalised embeddings (Wang and Isola, "Understanding Contrastive Representation
 * Learning through Alignment and Uniformity on the Hypersphere", ICML 2020, Eq. 4 and 5):
 * <ul>
 *   <li>{@code align = E_{(x,y) positive} ||f(x) - f(y)||^alpha}, default alpha = 2 (lower is better);</li>
 *   <li>{@code uniform = log E_{x,y} exp(-t ||f(x) - f(y)||^2)}, default t = 2 (lower is better; the minimum over
 *       two antipodal points is -8).</li>
 * </ul>
 * Positive pairs are either explicit pairs (two views, row i of each) or all unordered same-label pairs of a split.
 * Expectations run over all unordered pairs i &lt; j when their number is at most {@code maxPairs}, otherwise over
 * {@code maxPairs} pairs drawn uniformly with replacement from a seeded generator; results say which.
 */
public final class AlignmentUniformity {

    /** Default alignment exponent. */
    public static final double DEFAULT_ALPHA = 2;
    /** Default uniformity temperature. */
    public static final double DEFAULT_T = 2;

    /**
     * An estimate.
     *
     * @param value   the metric
     * @param pairs   pairs averaged
     * @param sampled true when pairs were sampled
     */
    public record Estimate(double value, long pairs, boolean sampled) {
    }

    private final long maxPairs;
    private final long seed;

    /** Pair cap {@link PairAuc#DEFAULT_MAX_PAIRS}, seed 0. */
    public AlignmentUniformity() {
        this(PairAuc.DEFAULT_MAX_PAIRS, 0L);
    }

    /**
     * @param maxPairs pairs above which sampling is used, &gt;= 1
     * @param seed     sampling seed
     */
    public AlignmentUniformity(long maxPairs, long seed) {
        if (maxPairs < 1) {
            throw new IllegalArgumentException("AlignmentUniformity: maxPairs " + maxPairs + " must be >= 1");
        }
        this.maxPairs = maxPairs;
        this.seed = seed;
    }

    /** Alignment over explicit positive pairs (row i of {@code x} with row i of {@code y}). */
    public static double alignment(float[][] x, float[][] y, double alpha) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("alignment: " + x.length + " first views but " + y.length
                    + " second views; pass row-aligned pairs");
        }
        UnitRows a = UnitRows.of(x, "alignment first views");
        UnitRows b = UnitRows.of(y, "alignment second views");
        double sum = 0;
        for (int i = 0; i < a.rows(); i++) {
            double d2 = 0;
            for (int k = 0; k < a.dim(); k++) {
                double d = (double) a.data()[i * a.dim() + k] - b.data()[i * b.dim() + k];
                d2 += d * d;
            }
            sum += Math.pow(Math.sqrt(d2), alpha);
        }
        return sum / a.rows();
    }

    /** Alignment over same-label pairs of a split. */
    public Estimate alignmentSameLabel(float[][] embeddings, int[] labels, double alpha) {
        DenseLabels.requireSameLength(embeddings, labels, "alignment split");
        UnitRows x = UnitRows.of(embeddings, "alignment split");
        int n = x.rows();
        int[] dense = DenseLabels.of(labels).indexAll(labels);
        long total = (long) n * (n - 1) / 2;
        double sum = 0;
        long count = 0;
        if (total <= maxPairs) {
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    if (dense[i] == dense[j]) {
                        sum += Math.pow(Math.sqrt(x.squaredDistance(i, j)), alpha);
                        count++;
                    }
                }
            }
            return new Estimate(count == 0 ? Double.NaN : sum / count, count, false);
        }
        int[][] byClass = membersByClass(dense, DenseLabels.of(labels).size());
        long classPairs = 0;
        for (int[] members : byClass) {
            classPairs += (long) members.length * (members.length - 1) / 2;
        }
        if (classPairs <= maxPairs) {
            for (int[] members : byClass) {
                for (int a = 0; a < members.length; a++) {
                    for (int b = a + 1; b < members.length; b++) {
                        sum += Math.pow(Math.sqrt(x.squaredDistance(members[a], members[b])), alpha);
                        count++;
                    }
                }
            }
            return new Estimate(count == 0 ? Double.NaN : sum / count, count, false);
        }
        // Sampling a class with probability proportional to its pair count, then a pair inside it, is uniform
        // over all same-label pairs.
        double[] cumulative = new double[byClass.length];
        double acc = 0;
        for (int c = 0; c < byClass.length; c++) {
            acc += (double) byClass[c].length * (byClass[c].length - 1) / 2;
            cumulative[c] = acc;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (long s = 0; s < maxPairs; s++) {
            double u = rnd.nextDouble() * acc;
            int c = 0;
            while (c < cumulative.length - 1 && cumulative[c] <= u) {
                c++;
            }
            int[] members = byClass[c];
            int a = rnd.nextInt(members.length);
            int b = rnd.nextInt(members.length - 1);
            if (b >= a) {
                b++;
            }
            sum += Math.pow(Math.sqrt(x.squaredDistance(members[a], members[b])), alpha);
        }
        return new Estimate(sum / maxPairs, maxPairs, true);
    }

    /** Uniformity over all pairs of the split (or a seeded sample). */
    public Estimate uniformity(float[][] embeddings, double t) {
        UnitRows x = UnitRows.of(embeddings, "uniformity split");
        int n = x.rows();
        long total = (long) n * (n - 1) / 2;
        if (total == 0) {
            return new Estimate(Double.NaN, 0, false);
        }
        double sum = 0;
        if (total <= maxPairs) {
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    sum += Math.exp(-t * x.squaredDistance(i, j));
                }
            }
            return new Estimate(Math.log(sum / total), total, false);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (long s = 0; s < maxPairs; s++) {
            int i = rnd.nextInt(n);
            int j = rnd.nextInt(n - 1);
            if (j >= i) {
                j++;
            }
            sum += Math.exp(-t * x.squaredDistance(i, j));
        }
        return new Estimate(Math.log(sum / maxPairs), maxPairs, true);
    }

    private static int[][] membersByClass(int[] dense, int classes) {
        int[] counts = new int[classes];
        for (int c : dense) {
            counts[c]++;
        }
        int[][] out = new int[classes][];
        for (int c = 0; c < classes; c++) {
            out[c] = new int[counts[c]];
        }
        int[] fill = new int[classes];
        for (int i = 0; i < dense.length; i++) {
            out[dense[i]][fill[dense[i]]++] = i;
        }
        return out;
    }
}
