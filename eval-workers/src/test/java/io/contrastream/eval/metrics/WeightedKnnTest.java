package io.contrastream.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WeightedKnnTest {

    private static final float[][] TRAIN = {{1, 0}, {0, 1}, {0, -1}};
    private static final int[] TRAIN_LABELS = {7, 3, 3};

    @Test
    void shouldLetOneCloseNeighbourOutvoteTwoFarOnesAtLowTemperature() {
        // test (1,0): sims 1 (label 7), 0 (3), 0 (3).
        // tau = 1 : votes 7 -> e^1 = 2.718, 3 -> 2 e^0 = 2 -> predict 7
        // test (-1, 0.001): sims ~-1 (7), ~0 (3), ~0 (3) -> 3 -> e^-1 = .37 vs ~2 -> predict 3
        WeightedKnn.Result r = new WeightedKnn(3, 1.0).evaluate(TRAIN, TRAIN_LABELS,
                new float[][] {{1, 0}, {-1, 0.001f}}, new int[] {7, 7});
        assertArrayEquals(new int[] {7, 3}, r.predictions());
        assertEquals(0.5, r.accuracy(), 1e-12);
    }

    @Test
    void shouldPreferMajorityAtHighTemperature() {
        // tau = 10: votes 7 -> e^0.1 = 1.105, 3 -> 2 e^0 = 2 -> predict 3
        WeightedKnn.Result r = new WeightedKnn(3, 10.0).evaluate(TRAIN, TRAIN_LABELS,
                new float[][] {{1, 0}}, new int[] {3});
        assertArrayEquals(new int[] {3}, r.predictions());
        assertEquals(1.0, r.accuracy(), 1e-12);
    }

    @Test
    void shouldOnlyCountTheKNearest() {
        // k = 1: only (1,0) with label 7 votes, whatever tau
        WeightedKnn.Result r = new WeightedKnn(1, 10.0).evaluate(TRAIN, TRAIN_LABELS,
                new float[][] {{1, 0}}, new int[] {7});
        assertArrayEquals(new int[] {7}, r.predictions());
        assertEquals(1, r.k());
    }
}
