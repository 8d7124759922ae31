package io.contrastream.eval.metrics;

import io.contrastream.eval.metrics.internal.DenseLabels;
import io.contrastream.eval.metrics.internal.RowRanks;
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
 *       at most {@code maxPairs} (query, item) pairs read from the similarity rows with a seeded generator, the
 *       same number from each query's row ({@link RowPairs}). {@link Pooled#sampled()} says which. In a
 *       {@link MetricSuite} that samples its queries the pairs come from the sampled queries' rows.</li>
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
        if (enumeratesAllPairs(x.rows())) {
            PooledRows rows = pooledRows(dense);
            SimilarityScan.scan(x, x, rows.scorer());
            return rows.result();
        }
        RowPairs pairs = rowPairs(dense, null, x.rows());
        SimilarityScan.scan(x, x, pairs.scorer());
        return pairs.result();
    }

    /** True when the pooled AUC of a split of {@code n} samples uses every pair rather than a sample. */
    boolean enumeratesAllPairs(long n) {
        return n * (n - 1) / 2 <= maxPairs;
    }

    /** Collects every pair (q, j &gt; q) of the split from its similarity rows. */
    PooledRows pooledRows(int[] dense) {
        return new PooledRows(dense);
    }

    /**
     * Positive and negative similarities of all unordered pairs, row q filling its fixed slots for j &gt; q, so rows
     * may arrive in any order and from several threads; the AUC does not depend on the slot order.
     */
    final class PooledRows {
        private final int[] dense;
        private final int[] positiveStart;
        private final int[] negativeStart;
        private final float[] p;
        private final float[] ng;

        private PooledRows(int[] dense) {
            this.dense = dense;
            int n = dense.length;
            int classes = 0;
            for (int c : dense) {
                classes = Math.max(classes, c + 1);
            }
            int[] after = new int[classes];
            int[] positivesInRow = new int[n];
            for (int q = n - 1; q >= 0; q--) {
                positivesInRow[q] = after[dense[q]];
                after[dense[q]]++;
            }
            positiveStart = new int[n];
            negativeStart = new int[n];
            long pos = 0;
            long neg = 0;
            for (int q = 0; q < n; q++) {
                positiveStart[q] = (int) pos;
                negativeStart[q] = (int) neg;
                pos += positivesInRow[q];
                neg += n - 1 - q - positivesInRow[q];
            }
            p = new float[(int) pos];
            ng = new float[(int) neg];
        }

        /** A row consumer; stateless apart from the shared slots, so one may serve several threads. */
        SimilarityScan.RowConsumer scorer() {
            return (q, sims, off, len) -> {
                int c = dense[q];
                int ip = positiveStart[q];
                int in = negativeStart[q];
                for (int j = q + 1; j < len; j++) {
                    if (dense[j] == c) {
                        p[ip++] = sims[off + j];
                    } else {
                        ng[in++] = sims[off + j];
                    }
                }
            };
        }

        /** The AUC over all collected pairs. */
        Pooled result() {
            long n = dense.length;
            return new Pooled(auc(p, p.length, ng, ng.length), p.length, ng.length, n * (n - 1) / 2, false, seed);
        }
    }

    /** Pooled-AUC pairs taken from the similarity rows of {@code queries} queries; see {@link RowPairs}. */
    RowPairs rowPairs(int[] dense, int[] self, int queries) {
        return new RowPairs(dense, self, queries);
    }

    /**
     * Pooled-AUC pairs read from the similarity rows a scan computes for a set of queries (all the split, or a
     * sample of it), never recomputing a dot product. The population is every ordered pair (query q, split item
     * j != q): m * (n - 1) pairs for m queries of a split of n. When that is at most {@code maxPairs} every pair is
     * used; otherwise each query's row contributes {@code max(1, floor(maxPairs / m))} items j drawn uniformly
     * without replacement (Floyd's algorithm) by a generator seeded from the seed and the query's split index, so
     * at most {@code maxPairs} pairs are used (at least one per query) and the choice depends neither on the thread
     * count nor on the order rows arrive in. Two queries that are both in the set may each contribute the pair they
     * form, so an unordered pair is counted 0, 1 or 2 times, equally often in expectation for every pair: the AUC
     * over these pairs estimates the AUC over all unordered pairs of the split. U is counted exactly (ties one half).
     */
    final class RowPairs {
        private final int[] dense;
        private final int[] self;
        private final int n;
        private final int perRow;
        private final boolean every;
        private final float[] sims;
        private final boolean[] positive;

        private RowPairs(int[] dense, int[] self, int queries) {
            this.dense = dense;
            this.self = self;
            this.n = dense.length;
            long population = (long) queries * (n - 1);
            this.every = population <= maxPairs;
            this.perRow = every ? n - 1 : (int) Math.max(1, maxPairs / queries);
            int slots = Math.toIntExact((long) queries * perRow);
            this.sims = new float[slots];
            this.positive = new boolean[slots];
        }

        /** A row consumer with its own buffers; use one per thread. Rows are indexed by query. */
        SimilarityScan.RowConsumer scorer() {
            boolean[] taken = every ? null : new boolean[n - 1];
            int[] picked = every ? null : new int[perRow];
            return (q, row, off, len) -> {
                int g = self == null ? q : self[q];
                int c = dense[g];
                int s = q * perRow;
                if (every) {
                    for (int j = 0; j < len; j++) {
                        if (j != g) {
                            sims[s] = row[off + j];
                            positive[s++] = dense[j] == c;
                        }
                    }
                    return;
                }
                SplittableRandom rnd = new SplittableRandom(seed ^ ((g + 1L) * 0x9E37_79B9_7F4A_7C15L));
                int others = n - 1;
                int count = 0;
                for (int t = others - perRow; t < others; t++) {
                    int r = rnd.nextInt(t + 1);
                    int pick = taken[r] ? t : r;
                    taken[pick] = true;
                    picked[count++] = pick;
                }
                for (int i = 0; i < count; i++) {
                    int other = picked[i];
                    taken[other] = false;
                    int j = other >= g ? other + 1 : other;
                    sims[s] = row[off + j];
                    positive[s++] = dense[j] == c;
                }
            };
        }

        /** The AUC over the collected pairs. */
        Pooled result() {
            int np = 0;
            for (boolean b : positive) {
                np += b ? 1 : 0;
            }
            float[] p = new float[np];
            float[] ng = new float[sims.length - np];
            int ip = 0;
            int in = 0;
            for (int i = 0; i < sims.length; i++) {
                if (positive[i]) {
                    p[ip++] = sims[i];
                } else {
                    ng[in++] = sims[i];
                }
            }
            long nn = n;
            return new Pooled(auc(p, np, ng, ng.length), np, ng.length, nn * (nn - 1) / 2, true, seed);
        }
    }

    /**
     * U / (P * N) of unsorted score sets in expected linear time. U is a sum of half-integers below 2^53, exact in
     * double in any order, so this equals sorting both sets and merging ({@link #sortedAuc}) bit for bit.
     */
    private static double auc(float[] p, int np, float[] n, int nn) {
        if (np == 0 || nn == 0) {
            return Double.NaN;
        }
        return new BucketedAuc().auc(p, np, n, nn);
    }

    /** Mean over samples of the per-query AUC against the rest of the split. */
    public PerQuery meanPerQuery(float[][] embeddings, int[] labels) {
        DenseLabels.requireSameLength(embeddings, labels, "AUC split");
        UnitRows x = UnitRows.of(embeddings, "AUC split");
        int[] dense = DenseLabels.of(labels).indexAll(labels);
        PerQueryRows rows = perQueryRows(dense);
        SimilarityScan.scan(x, x, rows.scorer());
        return rows.result();
    }

    /** Per-query AUC slots for a split with dense labels {@code dense}. */
    PerQueryRows perQueryRows(int[] dense) {
        return new PerQueryRows(dense, dense.length);
    }

    /** Per-query AUC slots for {@code queries} queries of a split with dense labels {@code dense}. */
    PerQueryRows perQueryRows(int[] dense, int queries) {
        return new PerQueryRows(dense, queries);
    }

    /**
     * Scores similarity rows one query at a time into per-query slots, so rows may arrive in any order and from
     * several threads (one {@link #scorer()} each); {@link #result()} averages the slots in query order.
     */
    static final class PerQueryRows {
        private final int[] dense;
        private final double[] auc;
        private final boolean[] skipped;

        private PerQueryRows(int[] dense, int queries) {
            this.dense = dense;
            this.auc = new double[queries];
            this.skipped = new boolean[queries];
        }

        /** Standard error (see {@link MetricSuite}) of the mean as an estimate over {@code population} queries. */
        double standardError(int population) {
            double[] v = new double[auc.length];
            int m = 0;
            for (int q = 0; q < auc.length; q++) {
                if (!skipped[q]) {
                    v[m++] = auc[q];
                }
            }
            return QuerySample.standardError(v, m, population);
        }

        /** A row consumer with its own buffers; use one per thread. */
        SimilarityScan.RowConsumer scorer() {
            RowRanks ranks = new RowRanks();
            return (q, sims, off, len) -> {
                ranks.rank(sims, off, len, q, dense, dense[q]);
                score(q, ranks);
            };
        }

        /**
         * Scores query {@code q} from its row ranked by {@link RowRanks#rank} against the split's classes, the
         * query's class, the query itself excluded: AUC = U / (P * N), exact.
         */
        void score(int q, RowRanks ranks) {
            int np = ranks.positives();
            int nn = ranks.negatives();
            if (np == 0 || nn == 0) {
                skipped[q] = true;
                return;
            }
            auc[q] = ranks.mannWhitneyU() / ((double) np * nn);
        }

        /** Mean over the scored queries, summed in query order. */
        PerQuery result() {
            double sum = 0;
            int counted = 0;
            int skippedQueries = 0;
            for (int q = 0; q < auc.length; q++) {
                if (skipped[q]) {
                    skippedQueries++;
                } else {
                    counted++;
                    sum += auc[q];
                }
            }
            return new PerQuery(counted == 0 ? Double.NaN : sum / counted, counted, skippedQueries);
        }
    }

    /**
     * Exact U / (P * N) in O(P + N) expected time for one query. Both sets are bucketed by one monotone function f
     * of the score over [min, max] with about (P + N) / 4 buckets. f(p) &gt; f(n) implies p &gt; n, so pairs in
     * different buckets are counted from bucket counts alone; only pairs sharing a bucket (about four elements per
     * bucket on average) are compared exactly: pair by pair when they are few, else by sorting the bucket's elements
     * and merging as in {@link #sortedAuc}.
     */
    private static final class BucketedAuc {
        /** Buckets with at most this many (positive, negative) pairs are counted pair by pair. */
        private static final int DIRECT_PAIRS = 64;
        private int[] countP = new int[0];
        private int[] countN = new int[0];
        private int[] fillP = new int[0];
        private int[] fillN = new int[0];
        private float[] byBucketP = new float[0];
        private float[] byBucketN = new float[0];

        double auc(float[] p, int np, float[] n, int nn) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < np; i++) {
                min = Math.min(min, p[i]);
                max = Math.max(max, p[i]);
            }
            for (int i = 0; i < nn; i++) {
                min = Math.min(min, n[i]);
                max = Math.max(max, n[i]);
            }
            if (!(max > min)) {
                return 0.5;
            }
            // about four scores per bucket: the count arrays of one bucket per score (16 MB each for the 4M pooled
            // pairs) made the counting passes cache-bound; a few more pairs per bucket are cheap to count directly
            int buckets = Math.max(16, (np + nn) / 4);
            ensure(buckets, np, nn);
            float scale = (float) (buckets / ((double) max - min));
            java.util.Arrays.fill(countP, 0, buckets, 0);
            java.util.Arrays.fill(countN, 0, buckets, 0);
            for (int i = 0; i < np; i++) {
                countP[bucket(p[i], min, scale, buckets)]++;
            }
            for (int i = 0; i < nn; i++) {
                countN[bucket(n[i], min, scale, buckets)]++;
            }
            double u = 0;
            long negativesBelow = 0;
            int offP = 0;
            int offN = 0;
            for (int b = 0; b < buckets; b++) {
                u += (double) countP[b] * negativesBelow;
                negativesBelow += countN[b];
                fillP[b] = offP;
                fillN[b] = offN;
                offP += countP[b];
                offN += countN[b];
            }
            for (int i = 0; i < np; i++) {
                byBucketP[fillP[bucket(p[i], min, scale, buckets)]++] = p[i];
            }
            for (int i = 0; i < nn; i++) {
                byBucketN[fillN[bucket(n[i], min, scale, buckets)]++] = n[i];
            }
            // U is a sum of half-integers below 2^53, exact in any order: the few pairs sharing a bucket are
            // counted directly (in halves) rather than through two Arrays.sort calls per bucket
            long twiceWithin = 0;
            for (int b = 0; b < buckets; b++) {
                int cp = countP[b];
                int cn = countN[b];
                if (cp == 0 || cn == 0) {
                    continue;
                }
                int endP = fillP[b];
                int endN = fillN[b];
                if ((long) cp * cn <= DIRECT_PAIRS) {
                    twiceWithin += twiceU(byBucketP, endP - cp, endP, byBucketN, endN - cn, endN);
                } else {
                    java.util.Arrays.sort(byBucketP, endP - cp, endP);
                    java.util.Arrays.sort(byBucketN, endN - cn, endN);
                    u += sortedU(byBucketP, endP - cp, endP, byBucketN, endN - cn, endN);
                }
            }
            u += twiceWithin / 2.0;
            return u / ((double) np * nn);
        }

        /** Twice the U of positives p[p0 .. p1) against negatives n[n0 .. n1), pair by pair. */
        private static long twiceU(float[] p, int p0, int p1, float[] n, int n0, int n1) {
            long twice = 0;
            for (int i = p0; i < p1; i++) {
                float v = p[i];
                for (int j = n0; j < n1; j++) {
                    float w = n[j];
                    twice += v > w ? 2 : v == w ? 1 : 0;
                }
            }
            return twice;
        }

        private static int bucket(float v, float min, float scale, int buckets) {
            return Math.min(buckets - 1, (int) ((v - min) * scale));
        }

        private void ensure(int buckets, int np, int nn) {
            if (countP.length < buckets) {
                countP = new int[buckets];
                countN = new int[buckets];
                fillP = new int[buckets];
                fillN = new int[buckets];
            }
            if (byBucketP.length < np) {
                byBucketP = new float[np];
            }
            if (byBucketN.length < nn) {
                byBucketN = new float[nn];
            }
        }

        private static double sortedU(float[] p, int p0, int p1, float[] n, int n0, int n1) {
            double u = 0;
            int below = n0;
            int upTo = n0;
            for (int i = p0; i < p1; i++) {
                float v = p[i];
                while (below < n1 && n[below] < v) {
                    below++;
                }
                if (upTo < below) {
                    upTo = below;
                }
                while (upTo < n1 && n[upTo] <= v) {
                    upTo++;
                }
                u += (below - n0) + 0.5 * (upTo - below);
            }
            return u;
        }
    }
}
