package io.contrastream.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AlignmentUniformityTest {

    @Test
    void shouldGiveMinusEightUniformityAndFourAlignmentForTwoAntipodalPoints() {
        // ||(1,0) - (-1,0)||^2 = 4. uniform = log exp(-2*4) = -8. align (alpha 2) = 4.
        float[][] x = {{3, 0}, {-0.5f, 0}};
        AlignmentUniformity au = new AlignmentUniformity();
        assertEquals(-8.0, au.uniformity(x, 2).value(), 1e-6);
        assertEquals(4.0, au.alignmentSameLabel(x, new int[] {0, 0}, 2).value(), 1e-6);
    }

    @Test
    void shouldAverageOverAllPairsOfThreePoints() {
        // (1,0),(0,1),(-1,0): squared distances 2, 4, 2
        // uniform (t=2) = log((2 e^-4 + e^-8)/3); alignment over same-label pairs {0,2} only: 4^(1/2 * 1) = 2 (alpha 1)
        float[][] x = {{1, 0}, {0, 1}, {-1, 0}};
        AlignmentUniformity au = new AlignmentUniformity();
        assertEquals(Math.log((2 * Math.exp(-4) + Math.exp(-8)) / 3), au.uniformity(x, 2).value(), 1e-6);
        AlignmentUniformity.Estimate a = au.alignmentSameLabel(x, new int[] {0, 1, 0}, 1);
        assertEquals(2.0, a.value(), 1e-6);
        assertEquals(1, a.pairs());
        assertFalse(a.sampled());
    }

    @Test
    void shouldAlignExplicitPairs() {
        // d((1,0),(0,1)) = sqrt 2, d((0,1),(0,1)) = 0 -> alpha 2: (2 + 0)/2 = 1
        assertEquals(1.0, AlignmentUniformity.alignment(new float[][] {{1, 0}, {0, 1}},
                new float[][] {{0, 1}, {0, 5}}, 2), 1e-6);
    }

    @Test
    void shouldSampleWhenOverThePairLimit() {
        // 4 points on the axes, all same label: any pair is antipodal (d^2 = 4) or orthogonal (d^2 = 2),
        // so every sampled alignment term lies in [2, 4]
        float[][] x = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};
        AlignmentUniformity.Estimate a = new AlignmentUniformity(3, 1).alignmentSameLabel(x, new int[] {0, 0, 0, 0}, 2);
        assertTrue(a.sampled());
        assertEquals(3, a.pairs());
        assertTrue(a.value() >= 2 - 1e-6 && a.value() <= 4 + 1e-6);
    }
}
