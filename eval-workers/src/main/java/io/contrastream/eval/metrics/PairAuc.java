package io.contrastream.eval.metrics;

import io.contrastream.eval.metrics.internal.DenseLabels;
import io.contrastream.eval.metrics.internal.SimilarityScan;
import io.contrastream.eval.metrics.internal.UnitRows;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Verification AUC of cosine similarities: the probability that a positive pair (same label) scores higher than a
 * negative pair (different labels), ties counting one half. Computed exactly as the Mann-Whitney U statistic
 * divided by {@code P * N} (Mann and Whitney, "On a Test of Whether One of Two Random Variables is Stochastically
 * Larger than the Other", Ann. Math. Stat. 1947; Hanley and McNeil, "The Meaning and Use of the Area under a
 * Receiver Operating Characteristic (ROC) Curve", Radiology 1982), by sorting both score sets and merging: O(n log n),
 * ties handled exactly as mid-ranks.
 *
 * <ul>
 *   <li><b>Pooled</b>: all unordered pairs of the split when their number is at most {@code maxPairs}; otherwise
 *       {@code maxPairs} pairs drawn uniformly with replacement with a seeded generator. {@link Pooled#sampled()}
 *       says which.</li>
 *   <li><b>Mean per-query</b>: for each sample, AUC of its similarities to same-label vs other-label samples of the
 *       split; averaged over samples that have both kinds.</li>
 * </ul>
 */
public final class PairAuc {

    /** Default cap on pooled pairs before sampling. */
    public static final long DEFAULT_MAX_PAIRS = 4_000_000L;

    /**
     * Pooled AUC.
     *
     * @param auc           AUC, NaN when there is no positive or no negative pair
     * @param positivePairs positive pairs used
     * @param negativePairs negative pairs used
     * @param pairsInSplit  unordered pairs in the split, n(n-1)/2
     * @param sampled       true when pairs were sampled rather than enumerated
     * @param seed          seed used for sampling (meaningful when sampled)
     */
    public record Pooled(double auc, long positivePairs, long negativePairs, long pairsInSplit, boolean sampled,
                         long seed) {
    }

    /**
     * Mean per-query AUC.
     *
     * @param meanAuc        mean over used queries, NaN when none
     * @param queries        queries with at least one positive and one negative
     * @param skippedQueries queries without
     */
    public record PerQuery(double meanAuc, int queries, int skippedQueries) {
    }

    private final long maxPairs;
    private final long seed;

    /** Default pair cap, seed 0. */
    public PairAuc() {
        this(DEFAULT_MAX_PAIRS, 0L);
    }

    /**
     * @param maxPairs pooled pairs above which sampling is used, &gt;= 1
     * @param seed     sampling seed
     */
    public PairAuc(long maxPairs, long seed) {
        if (maxPairs < 1 || maxPairs > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("PairAuc: maxPairs " + maxPairs + " must be in [1, 2^31 - 9]");
        }
        this.maxPairs = maxPairs;
        this.seed = seed;
    }

    /**
     * Exact AUC = U / (P * N) with U = sum over positives of (#negatives below + 0.5 * #negatives equal).
     *
     * @param positives scores of positives (not modified)
     * @param negatives scores of negatives (not modified)
     * @return AUC in [0, 1], NaN if either set is empty
     */
    public static double mannWhitneyAuc(float[] positives, float[] negatives) {
        float[] p = positives.clone();
        float[] n = negatives.clone();
        Arrays.sort(p);
        Arrays.sort(n);
        return sortedAuc(p, p.length, n, n.length);
    }

    private static double sortedAuc(float[] p, int np, float[] n, int nn) {
        if (np == 0 || nn == 0) {
            return Double.NaN;
        }
        double u = 0;
        int below = 0;
        int upTo = 0;
        for (int i = 0; i < np; i++) {
            float v = p[i];
            while (below < nn && n[below] < v) {
                below++;
            }
            if (upTo < below) {
                upTo = below;
            }
            while (upTo < nn && n[upTo] <= v) {
                upTo++;
            }
            u += below + 0.5 * (upTo - below);
        }
        return u / ((double) np * nn);
    }

    /** Pooled AUC over the split's pairs (or a seeded sample of them). */
    public Pooled pooled(float[][] embeddings, int[] labels) {
        DenseLabels.requireSameLength(embeddings, labels, "AUC split");
        UnitRows x = UnitRows.of(embeddings, "AUC split");
        int[] dense = DenseLabels.of(labels).indexAll(labels);
        long n = x.rows();
        long total = n * (n - 1) / 2;
        if (total <= maxPairs) {
            long[] perClass = new long[DenseLabels.of(labels).size()];
            for (int c : dense) {
                perClass[c]++;
            }
            long pos = 0;
            for (long c : perClass) {
                pos += c * (c - 1) / 2;
            }
            float[] p = new float[(int) pos];
            float[] ng = new float[(int) (total - pos)];
            int[] fill = new int[2];
            SimilarityScan.scan(x, x, (q, sims, off, len) -> {
                int c = dense[q];
                for (int j = q + 1; j < len; j++) {
                    if (dense[j] == c) {
                        p[fill[0]++] = sims[off + j];
                    } else {
                        ng[fill[1]++] = sims[off + j];
                    }
                }
            });
            Arrays.sort(p);
            Arrays.sort(ng);
            return new Pooled(sortedAuc(p, p.length, ng, ng.length), p.length, ng.length, total, false, seed);
        }
        int m = (int) maxPairs;
        float[] p = new float[m];
        float[] ng = new float[m];
        int np = 0;
        int nn = 0;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int s = 0; s < m; s++) {
            int i = rnd.nextInt((int) n);
            int j = rnd.nextInt((int) n - 1);
            if (j >= i) {
                j++;
            }
            float sim = x.dot(i, x, j);
            if (dense[i] == dense[j]) {
                p[np++] = sim;
            } else {
                ng[nn++] = sim;
            }
        }
        Arrays.sort(p, 0, np);
        Arrays.sort(ng, 0, nn);
        return new Pooled(sortedAuc(p, np, ng, nn), np, nn, total, true, seed);
    }

    /** Mean over samples of the per-query AUC against the rest of the split. */
    public PerQuery meanPerQuery(float[][] embeddings, int[] labels) {
        DenseLabels.requireSameLength(embeddings, labels, "AUC split");
        UnitRows x = UnitRows.of(embeddings, "AUC split");
        int[] dense = DenseLabels.of(labels).indexAll(labels);
        int n = x.rows();
        float[] p = new float[n];
        float[] ng = new float[n];
        double[] sum = new double[1];
        int[] counts = new int[2];
        BucketIndex index = new BucketIndex();
        SimilarityScan.scan(x, x, (q, sims, off, len) -> {
            int c = dense[q];
            int np = 0;
            int nn = 0;
            for (int j = 0; j < len; j++) {
                if (j == q) {
                    continue;
                }
                if (dense[j] == c) {
                    p[np++] = sims[off + j];
                } else {
                    ng[nn++] = sims[off + j];
                }
            }
            if (np == 0 || nn == 0) {
                counts[1]++;
                return;
            }
            counts[0]++;
            sum[0] += smallSideAuc(p, np, ng, nn, index);
        });
        return new PerQuery(counts[0] == 0 ? Double.NaN : sum[0] / counts[0], counts[0], counts[1]);
    }

    /**
     * Sorts only the smaller set and locates each element of the larger one in it through a bucket table, so the
     * per-query cost is O(min log min + max). U counts, per positive, negatives below plus one half per tied one.
     */
    private static double smallSideAuc(float[] p, int np, float[] n, int nn, BucketIndex index) {
        double u = 0;
        if (nn <= np) {
            Arrays.sort(n, 0, nn);
            index.build(n, nn);
            for (int i = 0; i < np; i++) {
                float v = p[i];
                int lo = index.countBelow(v);
                int hi = lo;
                while (hi < nn && n[hi] == v) {
                    hi++;
                }
                u += lo + 0.5 * (hi - lo);
            }
        } else {
            Arrays.sort(p, 0, np);
            index.build(p, np);
            for (int i = 0; i < nn; i++) {
                float v = n[i];
                int lo = index.countBelow(v);
                int hi = lo;
                while (hi < np && p[hi] == v) {
                    hi++;
                }
                u += (np - hi) + 0.5 * (hi - lo);
            }
        }
        return u / ((double) np * nn);
    }

    /**
     * Exact "number of elements below v" over a sorted array in expected O(1): values are mapped to buckets by a
     * monotone function f; start[b] counts the elements with f(x) &lt; b, all of which are &lt; v when f(v) = b,
     * and every element with f(x) &gt; b is &gt; v, so a binary search inside bucket b finishes the count.
     */
    private static final class BucketIndex {
        private float[] sorted;
        private int[] start = new int[0];
        private int buckets;
        private float min;
        private float scale;

        void build(float[] a, int length) {
            sorted = a;
            min = a[0];
            float max = a[length - 1];
            buckets = Math.max(16, 2 * length);
            if (start.length < buckets + 1) {
                start = new int[buckets + 1];
            }
            scale = max > min ? (float) (buckets / ((double) max - min)) : 0f;
            int b = 0;
            for (int i = 0; i < length; i++) {
                int f = bucket(a[i]);
                while (b <= f) {
                    start[b++] = i;
                }
            }
            while (b <= buckets) {
                start[b++] = length;
            }
        }

        private int bucket(float v) {
            int f = (int) ((v - min) * scale);
            return Math.min(buckets - 1, Math.max(0, f));
        }

        int countBelow(float v) {
            if (!(v > min)) {
                return 0;
            }
            int b = bucket(v);
            int lo = start[b];
            int hi = start[b + 1];
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid] < v) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }
}
