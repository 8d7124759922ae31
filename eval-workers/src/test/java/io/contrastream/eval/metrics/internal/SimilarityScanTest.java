package io.contrastream.eval.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SimilarityScanTest {

    private static float[][] gaussian(int n, int d, long seed) {
        Random rnd = new Random(seed);
        float[][] x = new float[n][d];
        for (float[] row : x) {
            for (int k = 0; k < d; k++) {
                row[k] = (float) rnd.nextGaussian();
            }
        }
        return x;
    }

    @Test
    void shouldMatchNaiveCosineAcrossQueryBlocksColumnBlocksAndDimensionRemainders() {
        // 33 queries: one full block of 32 plus an odd single row; 1,500 gallery items: two column blocks
        // (1,024 + 476); dimension 7 = 4 + a remainder of 3
        float[][] q = gaussian(33, 7, 1);
        float[][] g = gaussian(1500, 7, 2);
        int[] seen = new int[1];
        SimilarityScan.scan(UnitRows.of(q, "q"), UnitRows.of(g, "g"), (i, sims, off, len) -> {
            assertEquals(seen[0]++, i);
            assertEquals(1500, len);
            for (int j = 0; j < len; j++) {
                assertEquals(cosine(q[i], g[j]), sims[off + j], 1e-5, "query " + i + " item " + j);
            }
        });
        assertEquals(33, seen[0]);
    }

    @Test
    void shouldRejectDifferentDimensions() {
        assertThrows(IllegalArgumentException.class, () -> SimilarityScan.scan(UnitRows.of(gaussian(2, 3, 1), "q"),
                UnitRows.of(gaussian(2, 4, 1), "g"), (i, s, o, l) -> { }));
    }

    @Test
    void shouldSelectTopKByScoreThenLowerIndexEvenWithManyTies() {
        // scores rounded to quarters over 500 items -> heavy ties; expected order from a full stable sort
        Random rnd = new Random(4);
        float[] sims = new float[500];
        for (int j = 0; j < sims.length; j++) {
            sims[j] = Math.round(rnd.nextGaussian() * 4) / 4f;
        }
        Integer[] order = new Integer[sims.length - 1];
        int m = 0;
        for (int j = 0; j < sims.length; j++) {
            if (j != 17) {
                order[m++] = j;
            }
        }
        java.util.Arrays.sort(order, (a, b) -> sims[a] != sims[b] ? Float.compare(sims[b], sims[a]) : a - b);
        RankedSelection selection = new RankedSelection();
        for (int k : new int[] {1, 10, 200, 499, 1000}) {
            int[] out = new int[Math.max(k, 1)];
            int got = selection.select(sims, 0, sims.length, 17, k, out);
            assertEquals(Math.min(k, 499), got);
            int[] expected = new int[got];
            for (int i = 0; i < got; i++) {
                expected[i] = order[i];
            }
            assertArrayEquals(expected, java.util.Arrays.copyOf(out, got), "k = " + k);
        }
    }

    @Test
    void shouldRankNegativeZeroAsZero() {
        // -0.0 and 0.0 tie, so the lower index comes first
        int[] out = new int[2];
        new RankedSelection().select(new float[] {-0.0f, 0.0f}, 0, 2, -1, 2, out);
        assertArrayEquals(new int[] {0, 1}, out);
    }

    private static double cosine(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int k = 0; k < a.length; k++) {
            ab += (double) a[k] * b[k];
            aa += (double) a[k] * a[k];
            bb += (double) b[k] * b[k];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
