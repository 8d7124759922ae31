package io.contrastream.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LinearProbeTest {

    @Test
    void shouldReachTheHandDerivedOptimumOnTwoSymmetricPoints() {
        // Raw x = 2 (label 0) and 8 (label 1): mean 5, sd 3, standardised z = -1, +1.
        // By symmetry b0 = b1 and w1 = -w0 = w, so the objective is
        //   (1/2) * 2 * log(1 + e^{-2w}) + (l2/2)(w^2 + w^2) = log(1 + e^{-2w}) + l2 w^2
        // with stationarity 2 sigma(-2w) = 2 l2 w, i.e. sigma(-2w) = l2 w.
        // With l2 = 0.1: w = 1.0635 (sigma(-2.127) = 0.10635). In raw units the weight is w / sd = w / 3.
        double l2 = 0.1;
        LinearProbe.Model m = new LinearProbe(new LinearProbe.Config(l2, 100, 1e-10, 5))
                .fit(new float[][] {{2}, {8}}, new int[] {0, 1});
        double w = m.weights()[1][0] * 3;
        assertEquals(-m.weights()[0][0], m.weights()[1][0], 1e-6);
        assertEquals(1.0635, w, 1e-3);
        assertEquals(l2 * w, 1 / (1 + Math.exp(2 * w)), 1e-6);
        // raw logit difference at the mean (x = 5) is 0: (w1 - w0) * 5 + (b1 - b0) = 0
        assertEquals(0, (m.weights()[1][0] - m.weights()[0][0]) * 5 + m.bias()[1] - m.bias()[0], 1e-5);
    }

    @Test
    void shouldSeparateThreeClustersIn2d() {
        float[][] train = {{1, 0}, {1.2f, 0.1f}, {0, 1}, {0.1f, 1.3f}, {-1, -1}, {-1.2f, -0.9f}};
        int[] labels = {5, 5, 6, 6, 9, 9};
        LinearProbe.Model m = new LinearProbe().fit(train, labels);
        assertArrayEquals(new int[] {5, 6, 9}, m.classes());
        assertArrayEquals(new int[] {5, 6, 9}, m.predict(new float[][] {{2, 0.2f}, {0.2f, 2}, {-2, -2}}));
        assertEquals(1.0, m.accuracy(train, labels), 0.0);
    }

    @Test
    void shouldBeDeterministic() {
        float[][] train = {{1, 0}, {1.2f, 0.1f}, {0, 1}, {0.1f, 1.3f}};
        int[] labels = {0, 0, 1, 1};
        LinearProbe.Model a = new LinearProbe().fit(train, labels);
        LinearProbe.Model b = new LinearProbe().fit(train, labels);
        assertArrayEquals(a.weights()[0], b.weights()[0]);
        assertArrayEquals(a.bias(), b.bias());
    }
}
