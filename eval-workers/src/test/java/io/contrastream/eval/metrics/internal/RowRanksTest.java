package io.contrastream.eval.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RowRanksTest {

    /** Brute force: O(n^2) pair count for U, a full stable sort for the ranks. */
    private record Expected(int positives, int negatives, double u, int firstRank, double precisionSum) {
    }

    private static Expected bruteForce(float[] sims, int offset, int length, int exclude, int[] cls, int c) {
        int np = 0;
        int nn = 0;
        double u = 0;
        for (int i = 0; i < length; i++) {
            if (i == exclude) {
                continue;
            }
            if (cls[i] == c) {
                np++;
                for (int j = 0; j < length; j++) {
                    if (j != exclude && cls[j] != c) {
                        float p = sims[offset + i];
                        float n = sims[offset + j];
                        u += p > n ? 1 : p == n ? 0.5 : 0;
                    }
                }
            } else {
                nn++;
            }
        }
        Integer[] order = new Integer[length - (exclude >= 0 ? 1 : 0)];
        int m = 0;
        for (int j = 0; j < length; j++) {
            if (j != exclude) {
                order[m++] = j;
            }
        }
        Arrays.sort(order, (a, b) -> sims[offset + a] != sims[offset + b]
                ? Float.compare(sims[offset + b] + 0f, sims[offset + a] + 0f) : a - b);
        int first = 0;
        int found = 0;
        double precision = 0;
        for (int r = 0; r < order.length; r++) {
            if (cls[order[r]] == c) {
                if (first == 0) {
                    first = r + 1;
                }
                if (r < np) {
                    found++;
                    precision += (double) found / (r + 1);
                }
            }
        }
        return new Expected(np, nn, u, first, precision);
    }

    private static void check(float[] sims, int offset, int length, int exclude, int[] cls, int c, String what) {
        checkRanks(new RowRanks(), sims, offset, length, exclude, cls, c, what);
    }

    @Test
    void shouldEqualBruteForceOnConcentratedRowsWithHeavyTies() {
        Random rnd = new Random(11);
        int n = 3000;
        int[] cls = new int[n];
        for (int j = 0; j < n; j++) {
            cls[j] = rnd.nextInt(10);
        }
        // cosine-like rows bunched near the top (as trained embeddings give), quantised to few distinct values so
        // ties cross classes and bucket boundaries, plus one far outlier that squeezes the rest into few buckets;
        // each row is stored at an offset inside a larger buffer
        for (int trial = 0; trial < 12; trial++) {
            int offset = 17 + trial;
            float[] buf = new float[offset + n + 5];
            int c = trial % 10;
            double quantum = trial % 3 == 0 ? 1.0 / 64 : trial % 3 == 1 ? 1.0 / 4096 : 0;
            for (int j = 0; j < n; j++) {
                double v = 0.8 + 0.05 * rnd.nextGaussian() + (cls[j] == c ? 0.03 : 0);
                if (quantum > 0) {
                    v = Math.round(v / quantum) * quantum;
                }
                buf[offset + j] = (float) v;
            }
            if (trial % 4 == 1) {
                buf[offset + rnd.nextInt(n)] = -0.9f;
            }
            if (trial % 4 == 2) {
                buf[offset + 5] = -0.0f;
                buf[offset + 6] = 0.0f;
            }
            int exclude = trial % 2 == 0 ? rnd.nextInt(n) : -1;
            check(buf, offset, n, exclude, cls, c, "trial " + trial);
        }
    }

    @Test
    void shouldHandleAllEqualRowsAndRowsWithoutPositivesOrNegatives() {
        int n = 200;
        float[] sims = new float[n];
        Arrays.fill(sims, 0.5f);
        int[] cls = new int[n];
        for (int j = 0; j < n; j++) {
            cls[j] = j % 3;
        }
        check(sims, 0, n, 4, cls, 1, "all equal");
        check(sims, 0, n, -1, cls, 7, "no positive");
        int[] one = new int[n];
        check(sims, 0, n, 0, one, 0, "no negative");
        RowRanks ranks = new RowRanks();
        ranks.rank(sims, 0, n, 4, cls, 1);
        assertEquals(0.5, ranks.mannWhitneyU() / ((double) ranks.positives() * ranks.negatives()), 0.0);
    }

    @Test
    void shouldReuseBuffersAcrossRowsOfDifferentLengths() {
        Random rnd = new Random(3);
        RowRanks ranks = new RowRanks();
        for (int n : new int[] {1000, 40, 2500, 7}) {
            float[] sims = new float[n];
            int[] cls = new int[n];
            for (int j = 0; j < n; j++) {
                sims[j] = (float) (Math.round(rnd.nextGaussian() * 8) / 8.0);
                cls[j] = rnd.nextInt(3);
            }
            ranks.rank(sims, 0, n, n / 2, cls, 2);
            Expected e = bruteForce(sims, 0, n, n / 2, cls, 2);
            assertEquals(e.u(), ranks.mannWhitneyU(), 0.0, "n " + n);
            assertEquals(e.firstRank(), ranks.firstRank(), "n " + n);
            assertEquals(e.precisionSum(), ranks.precisionSumAtR(), 0.0, "n " + n);
        }
    }

    /**
     * {@code ranks} (fresh or reused) against brute force. U is a sum of half-integers and the precision sum is added
     * in the same (rank) order, so both must be exact.
     */
    private static void checkRanks(RowRanks ranks, float[] sims, int offset, int length, int exclude, int[] cls,
                                   int c, String what) {
        ranks.rank(sims, offset, length, exclude, cls, c);
        Expected e = bruteForce(sims, offset, length, exclude, cls, c);
        assertEquals(e.positives(), ranks.positives(), what);
        assertEquals(e.negatives(), ranks.negatives(), what);
        if (e.positives() == 0) {
            return;
        }
        assertEquals(e.u(), ranks.mannWhitneyU(), 0.0, what + " U");
        assertEquals(e.firstRank(), ranks.firstRank(), what + " first rank");
        assertEquals(Double.doubleToLongBits(e.precisionSum()), Double.doubleToLongBits(ranks.precisionSumAtR()),
                what + " precision sum");
    }

    @Test
    void shouldEqualBruteForceOnRandomRowsOfOddSizesWithReusedInstanceAndSharedClassArray() {
        Random rnd = new Random(29);
        RowRanks ranks = new RowRanks();
        for (int n : new int[] {1, 2, 3, 17, 64, 333, 1001}) {
            int classes = 1 + rnd.nextInt(6);
            int[] cls = new int[n];
            for (int j = 0; j < n; j++) {
                cls[j] = rnd.nextInt(classes);
            }
            for (int trial = 0; trial < 12; trial++) {
                float[] sims = new float[n];
                // continuous, coarsely quantised (long runs of ties inside one bucket) or two distant clusters
                int kind = trial % 3;
                for (int j = 0; j < n; j++) {
                    double v = rnd.nextGaussian() * 0.2 + (cls[j] == trial % classes ? 0.1 : 0);
                    if (kind == 1) {
                        v = Math.round(v * 8) / 8.0;
                    } else if (kind == 2) {
                        v = (rnd.nextInt(10) == 0 ? -0.9 : 0.9) + Math.round(v * 1000) / 1.0e6;
                    }
                    sims[j] = (float) v;
                }
                int c = trial % (classes + 1) == classes ? -1 : trial % classes;
                int exclude = trial % 4 == 3 ? -1 : rnd.nextInt(n);
                checkRanks(ranks, sims, 0, n, exclude, cls, c, "n " + n + " trial " + trial);
            }
        }
    }

    @Test
    void shouldEqualBruteForceWhenClassLabelsAreSparseOrNegative() {
        Random rnd = new Random(5);
        int n = 500;
        int[] cls = new int[n];
        for (int j = 0; j < n; j++) {
            // labels far apart (no per-class index is built) and a negative label shared by query and gallery
            cls[j] = rnd.nextInt(4) == 0 ? -1 : rnd.nextInt(3) * 1_000_000;
        }
        float[] sims = new float[n];
        for (int j = 0; j < n; j++) {
            sims[j] = (float) (Math.round(rnd.nextGaussian() * 16) / 16.0);
        }
        RowRanks ranks = new RowRanks();
        for (int c : new int[] {-1, 0, 1_000_000, 2_000_000, 7}) {
            checkRanks(ranks, sims, 0, n, c == 0 ? 3 : -1, cls, c, "class " + c);
        }
    }

    @Test
    void shouldEqualBruteForceWhenManyPositivesShareOneBucketWithNegatives() {
        // one far outlier squeezes the whole row into one bucket, ties span positives and negatives
        Random rnd = new Random(8);
        int n = 2000;
        int[] cls = new int[n];
        float[] sims = new float[n];
        for (int j = 0; j < n; j++) {
            cls[j] = rnd.nextInt(4);
            sims[j] = 0.5f + rnd.nextInt(40) * 1e-6f;
        }
        sims[7] = -1f;
        RowRanks ranks = new RowRanks();
        for (int c = 0; c < 4; c++) {
            checkRanks(ranks, sims, 0, n, c * 11, cls, c, "class " + c);
        }
    }

    @Test
    void shouldEqualBruteForceWhenTheRowSpansOnlyDenormalSimilarities() {
        // max - min so small that buckets / (max - min) overflows a float
        Random rnd = new Random(13);
        int n = 300;
        int[] cls = new int[n];
        float[] sims = new float[n];
        for (int j = 0; j < n; j++) {
            cls[j] = rnd.nextInt(3);
            sims[j] = Float.MIN_VALUE * rnd.nextInt(4);
        }
        RowRanks ranks = new RowRanks();
        for (int c = 0; c < 3; c++) {
            checkRanks(ranks, sims, 0, n, c, cls, c, "class " + c);
        }
    }
}
