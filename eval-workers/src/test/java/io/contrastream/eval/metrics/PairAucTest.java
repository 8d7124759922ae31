package io.contrastream.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
