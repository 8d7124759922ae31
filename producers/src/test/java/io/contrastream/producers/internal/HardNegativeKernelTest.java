package io.contrastream.producers.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HardNegativeKernelTest {

    /** Six unit vectors in the plane, three labels; 2 and 5 are the same point with different labels (ties). */
    private static final float[][] POINTS = {
            {1f, 0f}, {0.8f, 0.6f}, {0.6f, 0.8f}, {0f, 1f}, {-1f, 0f}, {0.6f, 0.8f}};
    private static final int[] LABELS = {0, 0, 1, 1, 2, 2};

    @Test
    void shouldPickTheMostSimilarSamplesOfOtherLabelsInHandComputedOrder() {
        HardNegativeKernel.Mined mined = HardNegativeKernel.mine(LABELS, 2, 4, HardNegativeKernel.dot(POINTS),
                HardNegativeKernel.Progress.NONE);

        // anchor 0: same-label 1 (0.8) excluded; 2 and 5 tie at 0.6 -> lower index first
        assertArrayEquals(new int[] {2, 5}, mined.indices()[0]);
        assertArrayEquals(new float[] {0.6f, 0.6f}, mined.similarities()[0], 1e-6f);
        // anchor 1: 2 and 5 tie at 0.96, ahead of 3 (0.6)
        assertArrayEquals(new int[] {2, 5}, mined.indices()[1]);
        assertArrayEquals(new float[] {0.96f, 0.96f}, mined.similarities()[1], 1e-6f);
        // anchor 2: 5 (1.0, the same point but another label), then 1 (0.96); same-label 3 (0.8) excluded
        assertArrayEquals(new int[] {5, 1}, mined.indices()[2]);
        assertArrayEquals(new float[] {1f, 0.96f}, mined.similarities()[2], 1e-6f);
        assertArrayEquals(new int[] {5, 1}, mined.indices()[3]);
        assertArrayEquals(new float[] {0.8f, 0.6f}, mined.similarities()[3], 1e-6f);
        // anchor 4: everything is dissimilar; still the two largest, 3 (0) then 2 (-0.6)
        assertArrayEquals(new int[] {3, 2}, mined.indices()[4]);
        assertArrayEquals(new float[] {0f, -0.6f}, mined.similarities()[4], 1e-6f);
        assertArrayEquals(new int[] {2, 1}, mined.indices()[5]);
        assertArrayEquals(new float[] {1f, 0.96f}, mined.similarities()[5], 1e-6f);
    }

    @Test
    void shouldReturnEveryOtherLabelSampleWhenFewerThanMExist() {
        HardNegativeKernel.Mined mined = HardNegativeKernel.mine(LABELS, 10, 6, HardNegativeKernel.dot(POINTS),
                HardNegativeKernel.Progress.NONE);
        assertArrayEquals(new int[] {3, 2, 1, 0}, mined.indices()[4]);
        assertArrayEquals(new int[] {2, 5, 3, 4}, mined.indices()[1]);
    }

    @Test
    void shouldNeverAskForMoreThanBlockRowsAndGiveTheSameAnswerForEveryBlocking() {
        Random random = new Random(11);
        int n = 97;
        float[][] rows = new float[n][5];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 5; k++) {
                rows[i][k] = random.nextInt(3) - 1; // coarse values: many exact ties
            }
            labels[i] = random.nextInt(4);
        }
        HardNegativeKernel.Mined reference = bruteForce(rows, labels, 7);
        for (int blockRows : new int[] {1, 8, 32, 97, 500}) {
            AtomicInteger maxRows = new AtomicInteger();
            AtomicInteger lastDone = new AtomicInteger();
            HardNegativeKernel.SimilarityBlocks dot = HardNegativeKernel.dot(rows);
            HardNegativeKernel.Mined mined = HardNegativeKernel.mine(labels, 7, blockRows, (start, count) -> {
                maxRows.accumulateAndGet(count, Math::max);
                return dot.block(start, count);
            }, (done, total) -> lastDone.set(done));
            assertTrue(maxRows.get() <= blockRows, "asked for " + maxRows.get() + " rows");
            assertEquals(n, lastDone.get());
            for (int a = 0; a < n; a++) {
                assertArrayEquals(reference.indices()[a], mined.indices()[a], "anchor " + a + " blocks " + blockRows);
                assertArrayEquals(reference.similarities()[a], mined.similarities()[a]);
                for (int j : mined.indices()[a]) {
                    assertTrue(labels[j] != labels[a], "anchor " + a + " got positive " + j);
                }
            }
        }
    }

    @Test
    void shouldRejectInvalidArgumentsNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HardNegativeKernel.mine(
                LABELS, 0, 4, HardNegativeKernel.dot(POINTS), HardNegativeKernel.Progress.NONE));
        assertTrue(e.getMessage().contains("negatives per anchor"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> HardNegativeKernel.mine(
                LABELS, 2, 0, HardNegativeKernel.dot(POINTS), HardNegativeKernel.Progress.NONE));
        assertTrue(e.getMessage().contains("blockRows"), e.getMessage());
    }

    /** Full sort of every anchor's row: similarity descending, index ascending. */
    private static HardNegativeKernel.Mined bruteForce(float[][] rows, int[] labels, int m) {
        int n = rows.length;
        float[] all = HardNegativeKernel.dot(rows).block(0, n);
        int[][] indices = new int[n][];
        float[][] sims = new float[n][];
        for (int a = 0; a < n; a++) {
            int anchor = a;
            indices[a] = IntStream.range(0, n).filter(j -> labels[j] != labels[anchor]).boxed()
                    .sorted(Comparator.comparingDouble((Integer j) -> -all[anchor * n + j])
                            .thenComparingInt(j -> j))
                    .limit(m).mapToInt(Integer::intValue).toArray();
            sims[a] = new float[indices[a].length];
            for (int k = 0; k < indices[a].length; k++) {
                sims[a][k] = all[anchor * n + indices[a][k]];
            }
        }
        return new HardNegativeKernel.Mined(indices, sims);
    }
}
