package io.contrastream.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AccuracyMatrixTest {

    // R = [[0.9, 0.1, 0.2],
    //      [0.7, 0.8, 0.3],
    //      [0.6, 0.5, 0.95]],  b = [0.1, 0.15, 0.2]
    private static final AccuracyMatrix FULL = AccuracyMatrix.empty(3)
            .withBaseline(new double[] {0.1, 0.15, 0.2})
            .withRow(new double[] {0.9, 0.1, 0.2})
            .withRow(new double[] {0.7, 0.8, 0.3})
            .withRow(new double[] {0.6, 0.5, 0.95});

    @Test
    void shouldComputeAllMetricsOfHandMade3x3Matrix() {
        // A = (0.6 + 0.5 + 0.95)/3 = 2.05/3
        assertEquals(2.05 / 3, FULL.averageAccuracy().orElseThrow(), 1e-12);
        // F: j=0 max(.9,.7)-.6 = .3; j=1 max(.1,.8)-.5 = .3 -> .3
        assertEquals(0.3, FULL.forgetting().orElseThrow(), 1e-12);
        // BWT: (.6-.9 + .5-.8)/2 = -.3
        assertEquals(-0.3, FULL.backwardTransfer().orElseThrow(), 1e-12);
        // FWT: (R01 - b1 + R12 - b2)/2 = (.1-.15 + .3-.2)/2 = .025
        assertEquals(0.025, FULL.forwardTransfer().orElseThrow(), 1e-12);
        // LA: (.9 + .8 + .95)/3 = 2.65/3
        assertEquals(2.65 / 3, FULL.learningAccuracy().orElseThrow(), 1e-12);
    }

    @Test
    void shouldHandlePartiallyFilledMatrix() {
        AccuracyMatrix one = AccuracyMatrix.empty(3).withRow(new double[] {0.9});
        assertEquals(0.9, one.averageAccuracy().orElseThrow(), 1e-12);
        assertFalse(one.forgetting().isPresent());
        assertFalse(one.forwardTransfer().isPresent());
        AccuracyMatrix two = one.withRow(new double[] {0.7, 0.8});
        // A = (.7+.8)/2 = .75; F = .9-.7 = .2; BWT = .7-.9 = -.2; no baseline -> no FWT
        assertEquals(0.75, two.averageAccuracy().orElseThrow(), 1e-12);
        assertEquals(0.2, two.forgetting().orElseThrow(), 1e-12);
        assertEquals(-0.2, two.backwardTransfer().orElseThrow(), 1e-12);
        assertFalse(two.forwardTransfer().isPresent());
        // FWT needs R[0][1], which row 0 of `one` did not evaluate
        assertFalse(two.withBaseline(new double[] {0, 0, 0}).forwardTransfer().isPresent());
        assertEquals(2, two.rowCount());
        assertEquals(Double.NaN, two.get(2, 0));
    }

    @Test
    void shouldRejectTooManyRows() {
        assertThrows(IllegalStateException.class, () -> FULL.withRow(new double[] {1, 1, 1}));
    }
}
