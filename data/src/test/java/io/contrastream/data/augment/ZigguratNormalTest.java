package io.contrastream.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZigguratNormalTest {

    private static final int N = 1_000_000;

    private static float[] draws(long seed, int n) {
        float[] z = new float[n];
        new ZigguratNormal(seed).fill(z, n);
        return z;
    }

    @Test
    void shouldFollowTheStandardNormalMoments() {
        float[] z = draws(7, N);
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        for (float v : z) {
            double d = v;
            s1 += d;
            s2 += d * d;
            s3 += d * d * d;
            s4 += d * d * d * d;
        }
        // standard errors for 10^6 draws: mean 0.001, variance 0.0014, third moment 0.0024, fourth moment 0.0098
        assertEquals(0, s1 / N, 0.005);
        assertEquals(1, s2 / N, 0.007);
        assertEquals(0, s3 / N, 0.012);
        assertEquals(3, s4 / N, 0.05);
    }

    @Test
    void shouldMatchTheNormalDistributionFunction() {
        float[] z = draws(8, N);
        Arrays.sort(z);
        double d = 0;
        for (int i = 0; i < N; i++) {
            double cdf = phi(z[i]);
            d = Math.max(d, Math.max(cdf - (double) i / N, (double) (i + 1) / N - cdf));
        }
        // Kolmogorov-Smirnov: 1.95 / sqrt(n) is the 0.1 % critical value
        assertTrue(d < 1.95 / Math.sqrt(N), "KS distance " + d);
    }

    @Test
    void shouldPutTheRightMassInTheTailsAndTheWedges() {
        float[] z = draws(9, N);
        int beyondR = 0;
        int beyond2 = 0;
        int within02 = 0;
        for (float v : z) {
            double a = Math.abs(v);
            beyondR += a > 3.6541528853610088 ? 1 : 0; // the tail algorithm
            beyond2 += a > 2 ? 1 : 0;
            within02 += a < 0.2 ? 1 : 0; // the top layers, mostly wedge tests
        }
        assertEquals(N * 2 * (1 - phi(3.6541528853610088)), beyondR, 6 * Math.sqrt(N * 2.6e-4));
        assertEquals(N * 2 * (1 - phi(2)), beyond2, 6 * Math.sqrt(N * 0.0455));
        assertEquals(N * (2 * phi(0.2) - 1), within02, 6 * Math.sqrt(N * 0.1585));
    }

    @Test
    void shouldDrawTheSameValuesForTheSameSeedOnly() {
        assertArrayEquals(draws(42, 5000), draws(42, 5000));
        assertFalse(Arrays.equals(draws(42, 5000), draws(43, 5000)));
    }

    /** {@link ZigguratNormal#fill} against its Javadoc: one word per pair, low half first, one variate at a time. */
    @Test
    void shouldFillAsTheDocumentedOneVariateAtATimeDefinition() {
        SplittableRandom seeds = new SplittableRandom(3);
        for (int n : new int[] {0, 1, 2, 3, 784, 785, 3072, 100_001}) {
            long seed = seeds.nextLong();
            ZigguratNormal reference = new ZigguratNormal(seed);
            float[] expected = new float[n];
            for (int i = 0; i < n; i += 2) {
                long word = reference.nextLong();
                expected[i] = (float) reference.fromBits((int) word);
                if (i + 1 < n) {
                    expected[i + 1] = (float) reference.fromBits((int) (word >>> 32));
                }
            }
            assertArrayEquals(expected, draws(seed, n), "n = " + n);
        }
    }

    @Test
    void shouldDrawTheSplitMix64Stream() {
        // SplittableRandom(seed).nextLong() is the same SplitMix64 stream the Javadoc specifies
        ZigguratNormal z = new ZigguratNormal(1234);
        SplittableRandom r = new SplittableRandom(1234);
        for (int i = 0; i < 10; i++) {
            assertEquals(r.nextLong(), z.nextLong());
        }
    }

    /** Standard normal distribution function via erfc (Numerical Recipes' erfcc, relative error below 1.2e-7). */
    static double phi(double x) {
        double t = x / Math.sqrt(2);
        double a = Math.abs(t);
        double u = 1 / (1 + 0.5 * a);
        double erfc = u * Math.exp(-a * a - 1.26551223 + u * (1.00002368 + u * (0.37409196 + u * (0.09678418
                + u * (-0.18628806 + u * (0.27886807 + u * (-1.13520398 + u * (1.48851587
                + u * (-0.82215223 + u * 0.17087277)))))))));
        return t >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
    }
}
