package io.contrastream.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RetrievalMetricsTest {

    private static final float[][] GALLERY = {{1, 0}, {1, 1}, {1, -1}, {0, 1}, {-1, 0}};
    private static final int[] GALLERY_LABELS = {0, 1, 0, 1, 0}; // A B A B A

    @Test
    void shouldMatchHandComputedFourQueryCaseWithTiesBrokenByLowerIndex() {
        float[][] queries = {{1, 0}, {0, 1}, {1, 0}, {-1, -1}};
        int[] queryLabels = {0, 1, 1, 0};
        // Cosine to gallery g0..g4 and ranking (ties -> lower gallery index first):
        // q0 (1,0) A : 1, .707, .707, 0, -1       -> g0 A, g1 B, g2 A, g3 B, g4 A. R=3. first rel 1.
        //              mAP@R = (P@1 + P@3)/3 = (1 + 2/3)/3 = 5/9
        // q1 (0,1) B : 0, .707, -.707, 1, 0       -> g3 B, g1 B, g0 A, g4 A, g2 A. R=2. first rel 1. mAP@R=(1+1)/2=1
        // q2 (1,0) B : same ranking as q0         -> g0 A, g1 B (tie with g2 won by lower index) ... R=2.
        //              first rel 2; mAP@R = (P@2)/2 = (1/2)/2 = 1/4
        // q3 (-1,-1) A: -.707, -1, 0, -.707, .707 -> g4 A, g2 A, g0 A (tie with g3), g3 B, g1 B. R=3. first rel 1.
        //              mAP@R = (1 + 1 + 1)/3 = 1
        // Recall@1 = (1+1+0+1)/4 = 3/4; Recall@2 = 4/4 = 1; MRR@10 = (1+1+1/2+1)/4 = 7/8;
        // mAP@R = (5/9 + 1 + 1/4 + 1)/4 = (20+36+9+36)/36/4 = 101/144
        RetrievalMetrics.Result r = new RetrievalMetrics(new int[] {1, 2}, 10)
                .evaluate(queries, queryLabels, GALLERY, GALLERY_LABELS, false);
        assertEquals(0.75, r.recallAt(1), 1e-12);
        assertEquals(1.0, r.recallAt(2), 1e-12);
        assertEquals(7.0 / 8, r.mrr(), 1e-12);
        assertEquals(101.0 / 144, r.mapAtR(), 1e-9);
        assertEquals(4, r.queries());
        assertEquals(0, r.skippedQueries());
    }

    @Test
    void shouldExcludeTheQueryItselfAndSkipQueriesWithoutRelevantItems() {
        // p0 (1,0) A, p1 (1,0.1) B, p2 (0,1) A.
        // q0: p1 .995 (B), p2 0 (A) -> first rel rank 2. q1 (B): no other B -> skipped.
        // q2: p1 .0995 (B), p0 0 (A) -> first rel rank 2.
        // Recall@1 = 0, Recall@2 = 1, MRR = 1/2, mAP@R (R=1) = 0.
        float[][] x = {{1, 0}, {1, 0.1f}, {0, 1}};
        RetrievalMetrics.Result r = new RetrievalMetrics(new int[] {1, 2}, 10).evaluate(x, new int[] {0, 1, 0});
        assertEquals(0.0, r.recallAt(1), 1e-12);
        assertEquals(1.0, r.recallAt(2), 1e-12);
        assertEquals(0.5, r.mrr(), 1e-12);
        assertEquals(0.0, r.mapAtR(), 1e-12);
        assertEquals(2, r.queries());
        assertEquals(1, r.skippedQueries());
    }

    @Test
    void shouldGiveZeroReciprocalRankBeyondTheCutoff() {
        // q0 (1,0) A against gallery above with MRR cutoff 1 : first rel rank 1 -> 1.
        // q2 (1,0) B: first rel rank 2 > 1 -> 0. MRR@1 = (1 + 0)/2.
        RetrievalMetrics.Result r = new RetrievalMetrics(new int[] {1}, 1)
                .evaluate(new float[][] {{1, 0}, {1, 0}}, new int[] {0, 1}, GALLERY, GALLERY_LABELS, false);
        assertEquals(0.5, r.mrr(), 1e-12);
    }

    @Test
    void shouldAgreeWithFullSortOnRandomData() {
        Random rnd = new Random(3);
        int n = 300;
        float[][] x = new float[n][8];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(7);
            for (int k = 0; k < 8; k++) {
                x[i][k] = (float) rnd.nextGaussian() + (k == y[i] ? 1.5f : 0f);
            }
        }
        RetrievalMetrics.Result r = new RetrievalMetrics(new int[] {1, 5}, 10).evaluate(x, y);
        double[] expected = bruteForce(x, y);
        assertEquals(expected[0], r.recallAt(1), 1e-12);
        assertEquals(expected[1], r.recallAt(5), 1e-12);
        assertEquals(expected[2], r.mrr(), 1e-9);
        assertEquals(expected[3], r.mapAtR(), 1e-9);
    }

    @Test
    void shouldRejectMismatchedLabels() {
        assertThrows(IllegalArgumentException.class,
                () -> new RetrievalMetrics().evaluate(new float[][] {{1, 0}}, new int[] {0, 1}));
    }

    private static double[] bruteForce(float[][] x, int[] y) {
        int n = x.length;
        double[][] u = new double[n][];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (float v : x[i]) {
                s += v * v;
            }
            u[i] = new double[x[i].length];
            for (int k = 0; k < x[i].length; k++) {
                u[i][k] = x[i][k] / Math.sqrt(s);
            }
        }
        double r1 = 0;
        double r5 = 0;
        double mrr = 0;
        double map = 0;
        int queries = 0;
        for (int q = 0; q < n; q++) {
            final int qq = q;
            Integer[] order = new Integer[n - 1];
            double[] sim = new double[n];
            int m = 0;
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < u[q].length; k++) {
                    s += u[q][k] * u[j][k];
                }
                sim[j] = s;
                if (j != qq) {
                    order[m++] = j;
                }
            }
            java.util.Arrays.sort(order, (a, b) -> sim[a] != sim[b] ? Double.compare(sim[b], sim[a]) : a - b);
            int rel = 0;
            for (int j = 0; j < n; j++) {
                if (j != q && y[j] == y[q]) {
                    rel++;
                }
            }
            if (rel == 0) {
                continue;
            }
            queries++;
            int first = -1;
            int found = 0;
            double ps = 0;
            for (int r = 0; r < order.length; r++) {
                if (y[order[r]] == y[q]) {
                    if (first < 0) {
                        first = r + 1;
                    }
                    if (r < rel) {
                        found++;
                        ps += (double) found / (r + 1);
                    }
                }
            }
            r1 += first <= 1 ? 1 : 0;
            r5 += first <= 5 ? 1 : 0;
            mrr += first <= 10 ? 1.0 / first : 0;
            map += ps / rel;
        }
        return new double[] {r1 / queries, r5 / queries, mrr / queries, map / queries};
    }
}
