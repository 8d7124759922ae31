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

    /** The kernel's fixed arithmetic: groups of four dimensions, ((a0*y0 + a1*y1) + a2*y2) + a3*y3, then singles. */
    private static float grouped(UnitRows q, int i, UnitRows g, int j) {
        int d = q.dim();
        float[] a = q.data();
        float[] b = g.data();
        int oa = i * d;
        int ob = j * d;
        float acc = 0f;
        int k = 0;
        for (; k + 4 <= d; k += 4) {
            acc += a[oa + k] * b[ob + k] + a[oa + k + 1] * b[ob + k + 1] + a[oa + k + 2] * b[ob + k + 2]
                    + a[oa + k + 3] * b[ob + k + 3];
        }
        for (; k < d; k++) {
            acc += a[oa + k] * b[ob + k];
        }
        return acc;
    }

    @Test
    void shouldComputeEverySimilarityBitForBitWithTheFixedGroupedArithmetic() {
        // metric values downstream are only bit-identical across kernel versions if every similarity is
        for (int d : new int[] {128, 7, 3, 12}) {
            UnitRows q = UnitRows.of(gaussian(35, d, 10 + d), "q");
            UnitRows g = UnitRows.of(gaussian(1100, d, 20 + d), "g");
            SimilarityScan.scanBlocks(q, new UnitRows[] {g, q}, 2, () -> (q0, qb, rows) -> {
                for (int ii = 0; ii < qb; ii++) {
                    for (int j = 0; j < g.rows(); j++) {
                        assertEquals(Float.floatToRawIntBits(grouped(q, q0 + ii, g, j)),
                                Float.floatToRawIntBits(rows[0][ii * g.rows() + j]), "d " + d + " query "
                                        + (q0 + ii) + " item " + j);
                    }
                    for (int j = 0; j < q.rows(); j++) {
                        assertEquals(Float.floatToRawIntBits(grouped(q, q0 + ii, q, j)),
                                Float.floatToRawIntBits(rows[1][ii * q.rows() + j]));
                    }
                }
            });
        }
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
    void shouldSelectExactlyThroughTheSampledThresholdOnLongRowsWithTies() {
        // 5,000 items rounded to eighths (heavy ties at every threshold), k up to 1,249 (k * 4 < 5,000 takes the
        // pre-filter); a row whose top items avoid the sampled positions makes the sample's threshold too high and
        // must fall back to the full selection
        Random rnd = new Random(5);
        float[] sims = new float[5000];
        for (int j = 0; j < sims.length; j++) {
            sims[j] = Math.round(rnd.nextGaussian() * 8) / 8f;
        }
        float[] skewed = new float[5000];
        for (int j = 0; j < skewed.length; j++) {
            skewed[j] = j % 32 == 0 ? 1f : (j % 32 == 1 ? 0.5f : 0f);
        }
        RankedSelection selection = new RankedSelection();
        for (float[] row : new float[][] {sims, skewed}) {
            int[] order = java.util.stream.IntStream.range(0, row.length).filter(j -> j != 17).boxed()
                    .sorted((a, b) -> row[a] != row[b] ? Float.compare(row[b], row[a]) : a - b)
                    .mapToInt(Integer::intValue).toArray();
            for (int k : new int[] {1, 10, 200, 1000, 1249, 1250, 4999}) {
                int[] out = new int[k];
                int got = selection.select(row, 0, row.length, 17, k, out);
                assertEquals(k, got);
                assertArrayEquals(java.util.Arrays.copyOf(order, k), out, "k = " + k);
            }
        }
    }

    @Test
    void shouldGiveTheSameBlocksOnSeveralThreadsAsTheRowScan() {
        float[][] q = gaussian(70, 9, 6);
        float[][] g1 = gaussian(1100, 9, 7);
        float[][] g2 = gaussian(40, 9, 8);
        float[][] expected1 = new float[70][];
        SimilarityScan.scan(UnitRows.of(q, "q"), UnitRows.of(g1, "g1"),
                (i, sims, off, len) -> expected1[i] = java.util.Arrays.copyOfRange(sims, off, off + len));
        float[][] expected2 = new float[70][];
        SimilarityScan.scan(UnitRows.of(q, "q"), UnitRows.of(g2, "g2"),
                (i, sims, off, len) -> expected2[i] = java.util.Arrays.copyOfRange(sims, off, off + len));
        float[][] got1 = new float[70][];
        float[][] got2 = new float[70][];
        SimilarityScan.scanBlocks(UnitRows.of(q, "q"), new UnitRows[] {UnitRows.of(g1, "g1"), UnitRows.of(g2, "g2")},
                3, () -> (q0, qb, rows) -> {
                    for (int i = 0; i < qb; i++) {
                        got1[q0 + i] = java.util.Arrays.copyOfRange(rows[0], i * 1100, (i + 1) * 1100);
                        got2[q0 + i] = java.util.Arrays.copyOfRange(rows[1], i * 40, (i + 1) * 40);
                    }
                });
        for (int i = 0; i < 70; i++) {
            assertArrayEquals(expected1[i], got1[i], "gallery 1, query " + i);
            assertArrayEquals(expected2[i], got2[i], "gallery 2, query " + i);
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

    /** Every row of every gallery of a scan, copied out: [gallery][query * n + item]. */
    private static float[][] allRows(UnitRows q, UnitRows[] galleries, int threads) {
        float[][] all = new float[galleries.length][];
        for (int g = 0; g < galleries.length; g++) {
            all[g] = new float[q.rows() * galleries[g].rows()];
        }
        SimilarityScan.scanBlocks(q, galleries, threads, () -> (q0, qb, rows) -> {
            for (int g = 0; g < galleries.length; g++) {
                int n = galleries[g].rows();
                System.arraycopy(rows[g], 0, all[g], q0 * n, qb * n);
            }
        });
        return all;
    }

    @Test
    void shouldGiveEverySimilarityOfTheSymmetricScanBitForBitAsTheFullScan() {
        // queries scanned against themselves take the columns left of each block's diagonal from earlier blocks'
        // transposed tiles; a copy of the queries (another instance) is scanned in full. Sizes: below one block,
        // block multiples and not, several column blocks; dimension with and without a remainder
        for (int n : new int[] {1, 31, 32, 33, 100, 1100, 2100}) {
            for (int d : new int[] {128, 7}) {
                UnitRows x = UnitRows.of(gaussian(n, d, 100 + n + d), "x");
                UnitRows copy = new UnitRows(x.data().clone(), n, d);
                UnitRows other = UnitRows.of(gaussian(50, d, 7), "other");
                assertEquals(true, SimilarityScan.symmetricFits(n));
                float[][] full = allRows(x, new UnitRows[] {other, copy}, 1);
                for (int threads : new int[] {1, 3}) {
                    float[][] symmetric = allRows(x, new UnitRows[] {other, x}, threads);
                    for (int g = 0; g < 2; g++) {
                        for (int i = 0; i < full[g].length; i++) {
                            if (Float.floatToRawIntBits(full[g][i]) != Float.floatToRawIntBits(symmetric[g][i])) {
                                throw new AssertionError("n " + n + " d " + d + " threads " + threads
                                        + " gallery " + g + " query " + i / (g == 0 ? 50 : n) + " item "
                                        + i % (g == 0 ? 50 : n) + ": " + full[g][i] + " != " + symmetric[g][i]);
                            }
                        }
                    }
                }
                // what makes it valid: the full kernel gives sim(i, j) and sim(j, i) as the same float
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < i; j++) {
                        assertEquals(Float.floatToRawIntBits(full[1][i * n + j]),
                                Float.floatToRawIntBits(full[1][j * n + i]), "n " + n + " d " + d);
                    }
                }
            }
        }
    }

    @Test
    void shouldScanInFullWhenTheMirroredTilesWouldNotFit() {
        assertEquals(false, SimilarityScan.symmetricFits(1_000_000));
    }
}
