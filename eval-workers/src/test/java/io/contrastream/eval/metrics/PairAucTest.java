package io.contrastream.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.eval.metrics.internal.UnitRows;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PairAucTest {

    @Test
    void shouldCountTiesAsOneHalfInHandCase() {
        // pos {0.9, 0.5}, neg {0.5, 0.1}: (0.9>0.5)=1, (0.9>0.1)=1, (0.5=0.5)=0.5, (0.5>0.1)=1 -> U=3.5, AUC=3.5/4
        assertEquals(0.875, PairAuc.mannWhitneyAuc(new float[] {0.9f, 0.5f}, new float[] {0.5f, 0.1f}), 1e-12);
    }

    @Test
    void shouldEqualBruteForcePairCountOnRandomScoresWithTies() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 20; trial++) {
            float[] p = new float[1 + rnd.nextInt(200)];
            float[] n = new float[1 + rnd.nextInt(200)];
            for (int i = 0; i < p.length; i++) {
                p[i] = Math.round(rnd.nextGaussian() * 3 + 1) / 4f; // rounded -> many ties
            }
            for (int i = 0; i < n.length; i++) {
                n[i] = Math.round(rnd.nextGaussian() * 3) / 4f;
            }
            double u = 0;
            for (float a : p) {
                for (float b : n) {
                    u += a > b ? 1 : a == b ? 0.5 : 0;
                }
            }
            assertEquals(u / ((double) p.length * n.length), PairAuc.mannWhitneyAuc(p, n), 1e-12);
        }
    }

    private static final float[][] X = {{1, 0}, {0, 1}, {1, 1}, {-1, 0}};
    private static final int[] Y = {0, 0, 1, 1};

    @Test
    void shouldComputePooledAucOverAllPairsOfHandCase() {
        // pairs: (0,1) pos 0; (0,2) neg .707; (0,3) neg -1; (1,2) neg .707; (1,3) neg 0; (2,3) pos -.707
        // pos {0, -.707} vs neg {.707, .707, -1, 0}: 0 beats -1 (1) and ties 0 (.5); -.707 beats -1 (1)
        // U = 2.5, AUC = 2.5 / (2*4) = 0.3125
        PairAuc.Pooled r = new PairAuc().pooled(X, Y);
        assertEquals(0.3125, r.auc(), 1e-6);
        assertEquals(2, r.positivePairs());
        assertEquals(4, r.negativePairs());
        assertEquals(6, r.pairsInSplit());
        assertFalse(r.sampled());
    }

    @Test
    void shouldAverageAucPerQueryInHandCase() {
        // q0: pos {0} vs neg {.707, -1} -> 1/2; q1: pos {0} vs neg {.707, 0} -> .5/2 = .25
        // q2: pos {-.707} vs neg {.707, .707} -> 0; q3: pos {-.707} vs neg {-1, 0} -> 1/2
        // mean = (0.5 + 0.25 + 0 + 0.5)/4 = 0.3125
        PairAuc.PerQuery r = new PairAuc().meanPerQuery(X, Y);
        assertEquals(0.3125, r.meanAuc(), 1e-6);
        assertEquals(4, r.queries());
    }

    @Test
    void shouldSampleSeededPairsWhenOverTheLimitAndSaySo() {
        Random rnd = new Random(5);
        float[][] x = new float[200][4];
        int[] y = new int[200];
        for (int i = 0; i < x.length; i++) {
            y[i] = i % 3;
            for (int k = 0; k < 4; k++) {
                x[i][k] = (float) rnd.nextGaussian() + (k == y[i] ? 2f : 0f);
            }
        }
        PairAuc.Pooled exact = new PairAuc().pooled(x, y);
        PairAuc.Pooled a = new PairAuc(5000, 42).pooled(x, y);
        PairAuc.Pooled b = new PairAuc(5000, 42).pooled(x, y);
        assertFalse(exact.sampled());
        assertTrue(a.sampled());
        assertEquals(5000, a.positivePairs() + a.negativePairs());
        assertEquals(19900, a.pairsInSplit());
        assertEquals(a.auc(), b.auc(), 0.0);
        assertEquals(exact.auc(), a.auc(), 0.03);
    }

    @Test
    void shouldGiveTheSampledPooledAucOfTheDocumentedRowPairsBitForBit() {
        // reference: the documented draw (per query row floor(maxPairs / n) distinct other items, Floyd's algorithm,
        // a generator seeded from the seed and the row), similarities read from the scan's rows, U counted by brute
        // force over every (positive, negative) pair with ties one half. Grid embeddings make many similarities tie.
        Random rnd = new Random(8);
        float[][] x = new float[300][5];
        int[] y = new int[300];
        for (int i = 0; i < x.length; i++) {
            y[i] = rnd.nextInt(4);
            for (int k = 0; k < 5; k++) {
                x[i][k] = rnd.nextInt(3) + (k == y[i] ? 1f : 0f);
            }
        }
        int pairs = 20_003;
        long seed = 11;
        int n = 300;
        float[][] sims = similarityMatrix(x);
        int perRow = pairs / n;
        java.util.List<Float> pos = new java.util.ArrayList<>();
        java.util.List<Float> neg = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            java.util.SplittableRandom pick = new java.util.SplittableRandom(seed ^ ((i + 1L) * 0x9E3779B97F4A7C15L));
            java.util.Set<Integer> chosen = new java.util.HashSet<>();
            for (int t = n - 1 - perRow; t < n - 1; t++) {
                int r = pick.nextInt(t + 1);
                chosen.add(chosen.contains(r) ? t : r);
            }
            assertEquals(perRow, chosen.size());
            for (int other : chosen) {
                int j = other >= i ? other + 1 : other;
                (y[i] == y[j] ? pos : neg).add(sims[i][j]);
            }
        }
        PairAuc.Pooled sampled = new PairAuc(pairs, seed).pooled(x, y);
        assertTrue(sampled.sampled());
        assertEquals(pos.size(), sampled.positivePairs());
        assertEquals(neg.size(), sampled.negativePairs());
        assertEquals(bruteForceAuc(pos, neg), sampled.auc(), 0.0);
    }

    @Test
    void shouldUseEveryPairOfTheSampledQueriesRowsWhenTheyFitTheCap() {
        // 40 of 300 samples as queries: 40 * 299 = 11,960 ordered pairs <= 20,000, all used; brute force over them
        Random rnd = new Random(9);
        float[][] x = new float[300][5];
        int[] y = new int[300];
        for (int i = 0; i < x.length; i++) {
            y[i] = rnd.nextInt(4);
            for (int k = 0; k < 5; k++) {
                x[i][k] = rnd.nextInt(3) + (k == y[i] ? 1f : 0f);
            }
        }
        float[][] sims = similarityMatrix(x);
        int[] chosen = QuerySample.choose(300, 40, 5L);
        java.util.List<Float> pos = new java.util.ArrayList<>();
        java.util.List<Float> neg = new java.util.ArrayList<>();
        for (int i : chosen) {
            for (int j = 0; j < 300; j++) {
                if (j != i) {
                    (y[i] == y[j] ? pos : neg).add(sims[i][j]);
                }
            }
        }
        PairAuc.RowPairs rows = new PairAuc(20_000, 5L).rowPairs(
                io.contrastream.eval.metrics.internal.DenseLabels.of(y).indexAll(y), chosen, chosen.length);
        UnitRows u = UnitRows.of(x, "x");
        io.contrastream.eval.metrics.internal.SimilarityScan.scan(QuerySample.rows(u, chosen), u, rows.scorer());
        PairAuc.Pooled pooled = rows.result();
        assertEquals(40 * 299, pooled.positivePairs() + pooled.negativePairs());
        assertEquals(pos.size(), pooled.positivePairs());
        assertEquals(bruteForceAuc(pos, neg), pooled.auc(), 0.0);
    }

    private static float[][] similarityMatrix(float[][] x) {
        UnitRows u = UnitRows.of(x, "x");
        float[][] sims = new float[x.length][];
        io.contrastream.eval.metrics.internal.SimilarityScan.scan(u, u,
                (q, row, off, len) -> sims[q] = java.util.Arrays.copyOfRange(row, off, off + len));
        return sims;
    }

    /** U / (P * N) by comparing every positive with every negative, ties one half. */
    private static double bruteForceAuc(java.util.List<Float> pos, java.util.List<Float> neg) {
        double u = 0;
        for (float p : pos) {
            for (float n : neg) {
                u += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        return u / ((double) pos.size() * neg.size());
    }

    @Test
    void shouldEqualBruteForcePerQueryAucWithTiedSimilarities() {
        // rows drawn from 6 distinct random vectors, so many similarities tie exactly (identical rows)
        Random rnd = new Random(21);
        float[][] pool = new float[6][5];
        for (float[] v : pool) {
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) rnd.nextGaussian();
            }
        }
        int n = 150;
        float[][] x = new float[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = pool[rnd.nextInt(pool.length)].clone();
            y[i] = rnd.nextInt(3);
        }
        double sum = 0;
        int queries = 0;
        for (int q = 0; q < n; q++) {
            double u = 0;
            long np = 0;
            long nn = 0;
            for (int a = 0; a < n; a++) {
                if (a == q || y[a] != y[q]) {
                    continue;
                }
                for (int b = 0; b < n; b++) {
                    if (b == q || y[b] == y[q]) {
                        continue;
                    }
                    double sa = cos(x[q], x[a]);
                    double sb = cos(x[q], x[b]);
                    u += Math.abs(sa - sb) < 1e-6 ? 0.5 : sa > sb ? 1 : 0;
                }
            }
            for (int a = 0; a < n; a++) {
                if (a != q) {
                    if (y[a] == y[q]) {
                        np++;
                    } else {
                        nn++;
                    }
                }
            }
            if (np > 0 && nn > 0) {
                sum += u / (np * nn);
                queries++;
            }
        }
        PairAuc.PerQuery r = new PairAuc().meanPerQuery(x, y);
        assertEquals(queries, r.queries());
        assertEquals(sum / queries, r.meanAuc(), 1e-9);
    }

    @Test
    void shouldEqualBruteForcePooledAucWithTiedSimilarities() {
        // rows are +-e_k scaled by powers of two, so normalisation is exact and every similarity is exactly
        // -1, 0 or 1: massive ties, identical in float and double
        Random rnd = new Random(8);
        int n = 120;
        float[][] x = new float[n][3];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i][rnd.nextInt(3)] = (rnd.nextBoolean() ? 1 : -1) * (1 << rnd.nextInt(3));
            y[i] = rnd.nextInt(3);
        }
        java.util.List<Double> pos = new java.util.ArrayList<>();
        java.util.List<Double> neg = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                (y[i] == y[j] ? pos : neg).add(cos(x[i], x[j]));
            }
        }
        double u = 0;
        for (double a : pos) {
            for (double b : neg) {
                u += a == b ? 0.5 : a > b ? 1 : 0;
            }
        }
        PairAuc.Pooled r = new PairAuc().pooled(x, y);
        assertEquals(pos.size(), r.positivePairs());
        assertEquals(u / ((double) pos.size() * neg.size()), r.auc(), 1e-12);
    }

    private static double cos(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int k = 0; k < a.length; k++) {
            ab += a[k] * b[k];
            aa += a[k] * a[k];
            bb += b[k] * b[k];
        }
        return ab / Math.sqrt(aa * bb);
    }

    @Test
    void shouldGiveTheExactPooledAucBitForBitOverTheScannedSimilaritiesWithSomeTies() {
        // most rows unique (small buckets, counted pair by pair), some repeated (runs of equal similarities)
        Random rnd = new Random(21);
        int n = 300;
        float[][] base = new float[6][16];
        for (float[] b : base) {
            for (int k = 0; k < b.length; k++) {
                b[k] = (float) rnd.nextGaussian();
            }
        }
        float[][] x = new float[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            if (i % 5 == 0) {
                x[i] = base[rnd.nextInt(base.length)].clone();
            } else {
                x[i] = new float[16];
                for (int k = 0; k < 16; k++) {
                    x[i][k] = (float) rnd.nextGaussian();
                }
            }
            y[i] = rnd.nextInt(4);
        }
        io.contrastream.eval.metrics.internal.UnitRows u = io.contrastream.eval.metrics.internal.UnitRows.of(x, "x");
        java.util.List<Float> pos = new java.util.ArrayList<>();
        java.util.List<Float> neg = new java.util.ArrayList<>();
        io.contrastream.eval.metrics.internal.SimilarityScan.scan(u, u, (q, sims, off, len) -> {
            for (int j = q + 1; j < len; j++) {
                (y[q] == y[j] ? pos : neg).add(sims[off + j]);
            }
        });
        long twice = 0;
        for (float a : pos) {
            for (float b : neg) {
                twice += a > b ? 2 : a == b ? 1 : 0;
            }
        }
        double expected = twice / 2.0 / ((double) pos.size() * neg.size());
        PairAuc.Pooled r = new PairAuc().pooled(x, y);
        assertEquals(false, r.sampled());
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(r.auc()));
    }
}
