package io.contrastream.eval.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RankedSelectionTest {

    @Test
    void shouldFindTheRankthLargestAsSortingWouldWithDuplicates() {
        Random rnd = new Random(4);
        for (int trial = 0; trial < 200; trial++) {
            int s = 1 + rnd.nextInt(400);
            float[] a = new float[s];
            for (int i = 0; i < s; i++) {
                a[i] = trial % 2 == 0 ? (float) rnd.nextGaussian() : rnd.nextInt(7) / 8f;
            }
            int rank = 1 + rnd.nextInt(s);
            float[] sorted = a.clone();
            Arrays.sort(sorted);
            assertEquals(sorted[s - rank], RankedSelection.rankthLargest(a, s, rank), 0f, "trial " + trial);
        }
    }
}
