package io.contrastream.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.data.Image;
import io.contrastream.data.SyntheticShapes;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GaussianNoiseV3Test {

    private static final float[] T = GaussianNoiseV3.TABLE;
    private static final int N = GaussianNoiseV3.SIZE;

    @Test
    void shouldHaveAnAntisymmetricIncreasingTableOf4096Entries() {
        assertEquals(4096, T.length);
        for (int i = 0; i < N; i++) {
            assertEquals(-T[i], T[N - 1 - i], 0f, "entry " + i);
            if (i > 0) {
                assertTrue(T[i - 1] < T[i], "not increasing at " + i);
            }
        }
    }

    @Test
    void shouldBoundTheTableByTheDocumentedTruncation() {
        // Phi^-1(1 - 0.5/4096) = 3.668329285121323 and Phi^-1(0.5 + 0.5/4096) = 3.059849015802712e-4 (Python's
        // statistics.NormalDist().inv_cdf, an independent implementation)
        assertEquals(3.668329285121323, T[N - 1], 3e-7);
        assertEquals(-3.668329285121323, T[0], 3e-7);
        assertEquals(3.059849015802712e-4, T[N / 2], 1e-10);
        for (float z : T) {
            assertTrue(Math.abs(z) <= T[N - 1], "entry " + z);
        }
    }

    @Test
    void shouldHaveMeanZeroAndVarianceCloseToOne() {
        double sum = 0;
        double sq = 0;
        for (float z : T) {
            sum += z;
            sq += (double) z * z;
        }
        assertEquals(0, sum / N, 1e-12);
        // the discretisation loses the mass beyond 3.67 and within each 1/4096 step: 0.99968 (1 - 3.2e-4)
        assertEquals(0.99968, sq / N, 1e-5);
    }

    @Test
    void shouldHoldTheNormalQuantileOfEveryCellMidpoint() {
        // the table entry's normal CDF (here by Simpson's rule on the density, independent of NormalQuantiles'
        // series) is (j + 0.5) / 4096 up to the float rounding of the entry
        for (int j = N / 2; j < N; j++) {
            double x = T[j];
            double cdf = 0.5 + simpson(x);
            double slack = density(x) * Math.ulp(T[j]) + 1e-12;
            assertEquals((j + 0.5) / N, cdf, slack, "entry " + j);
        }
    }

    @Test
    void shouldComputeKnownQuantiles() {
        assertEquals(1.959963984540054, NormalQuantiles.quantile(0.975), 1e-12);
        assertEquals(-0.5244005127080407, NormalQuantiles.quantile(0.3), 1e-12);
        assertEquals(4.264890793922825, NormalQuantiles.quantile(1 - 1e-5), 1e-11);
        assertEquals(0.0, NormalQuantiles.quantile(0.5), 0.0);
    }

    @Test
    void shouldAddScaledTableValuesOfTheDocumentedStreamByHand() {
        // the op draws one nextLong() s from the pipeline's generator; new SplittableRandom(s).nextLong() is the first
        // word of its stream, and the four values use its bits 0-11, 12-23, 24-35, 36-47
        SplittableRandom pipeline = new SplittableRandom(5);
        long word = new SplittableRandom(new SplittableRandom(5).nextLong()).nextLong();
        int[] j = {(int) word & 4095, (int) (word >>> 12) & 4095, (int) (word >>> 24) & 4095,
            (int) (word >>> 36) & 4095};
        assertArrayEquals(new int[] {565, 596, 1649, 3620}, j);
        // Phi^-1((j + 0.5) / 4096) by Python's statistics.NormalDist().inv_cdf
        assertEquals(-1.0890699348349877, T[565], 1e-7);
        assertEquals(-1.055362064803993, T[596], 1e-7);
        assertEquals(-0.24633887132126214, T[1649], 1e-7);
        assertEquals(1.194767876518577, T[3620], 1e-7);

        float[] a = {0.5f, 0.2f, 0.1f, 0.9f}; // 1 x 2 x 2
        assertFalse(new GaussianNoiseV3(0.25).apply(a, null, 1, 2, 2, pipeline));
        // 0.5 + 0.25 * -1.08907 = 0.2277325; 0.2 - 0.2638 < 0 -> 0; 0.1 - 0.0615847 = 0.0384153; 0.9 + 0.2987 > 1 -> 1
        assertEquals(0.22773250937461853, a[0], 0.0);
        assertEquals(0.5f + 0.25f * T[565], a[0], 0f);
        assertEquals(0f, a[1], 0f);
        assertEquals(0.1f + 0.25f * T[1649], a[2], 0f);
        assertEquals(0.0384153, a[2], 1e-6);
        assertEquals(1f, a[3], 0f);
    }

    @Test
    void shouldDrawFiveIndicesPerWordLowBitsFirst() {
        // 13 values: two full words and three values from the low 36 bits of a third
        long seed = 77;
        float[] z = new float[13];
        GaussianNoiseV3.draw(seed, z, 13);
        SplittableRandom words = new SplittableRandom(seed);
        for (int k = 0; k < 3; k++) {
            long word = words.nextLong();
            for (int m = 0; m < 5 && 5 * k + m < 13; m++) {
                assertEquals(T[(int) (word >>> (12 * m)) & 4095], z[5 * k + m], 0f, "value " + (5 * k + m));
            }
        }
    }

    @Test
    void shouldGiveTheSameBytesForTheSameSeedAndOthersForAnother() {
        Image digit = new SyntheticShapes("train", 10, 1, 28, 28, 1L).get(4).image();
        List<AugmentationSpec> recipe = List.of(new AugmentationSpec("gaussian_noise_v3", 1.0, Map.of("sigma", 0.1)));
        Image a = AugmentationPipeline.of(recipe).apply(digit, 9);
        assertArrayEquals(a.toFloat32LE(), AugmentationPipeline.of(recipe).apply(digit, 9).toFloat32LE());
        assertFalse(Arrays.equals(a.toFloat32LE(), AugmentationPipeline.of(recipe).apply(digit, 10).toFloat32LE()));
        assertFalse(Arrays.equals(digit.toFloat32LE(), a.toFloat32LE()));
    }

    @Test
    void shouldFollowTheTableDistributionOverManyDraws() {
        int n = 1_000_000;
        float[] z = new float[n];
        GaussianNoiseV3.draw(123, z, n);
        double s1 = 0;
        double s2 = 0;
        int extremes = 0;
        for (float v : z) {
            s1 += v;
            s2 += (double) v * v;
            extremes += Math.abs(v) == T[N - 1] ? 1 : 0;
        }
        // standard errors for 10^6 draws: mean 0.001, variance 0.0014; extremes: 488 expected (2/4096), sd 22
        assertEquals(0, s1 / n, 0.005);
        assertEquals(0.99968, s2 / n, 0.007);
        assertEquals(2.0 * n / N, extremes, 120);
    }

    @Test
    void shouldMatchSigmaAndClampLikeGaussianNoiseV2() {
        float[] flat = new float[10_000];
        Arrays.fill(flat, 0.5f);
        new GaussianNoiseV3(0.1).apply(flat, null, 1, 100, 100, new SplittableRandom(1));
        double mean = 0;
        double sq = 0;
        for (float v : flat) {
            mean += v;
            sq += (v - 0.5) * (v - 0.5);
        }
        assertEquals(0.5, mean / flat.length, 0.005);
        assertEquals(0.1, Math.sqrt(sq / flat.length), 0.005);

        // sigma 0: values unchanged except -0, which becomes +0 as in gaussian_noise_v2; NaN stays NaN
        float[] edges = {-0f, 0f, 0.3f, 1f, Float.NaN, 0.7f, -0f};
        float[] v2 = edges.clone();
        new GaussianNoiseV3(0).apply(edges, null, 1, 1, 7, new SplittableRandom(3));
        new GaussianNoiseV2(0).apply(v2, null, 1, 1, 7, new SplittableRandom(3));
        assertArrayEquals(new float[] {0f, 0f, 0.3f, 1f, Float.NaN, 0.7f, 0f}, edges);
        assertEquals(0, Float.floatToRawIntBits(edges[0]));
        assertEquals(0, Float.floatToRawIntBits(edges[6]));
        assertArrayEquals(v2, edges);
        // large sigma: everything in [0, 1] and no -0
        float[] wide = {0f, 1f, 0f, 1f, -0f, 0.999f, -2f, 3f};
        new GaussianNoiseV3(2).apply(wide, null, 1, 2, 4, new SplittableRandom(2));
        for (float v : wide) {
            assertTrue(v >= 0f && v <= 1f && Float.floatToRawIntBits(v) != Integer.MIN_VALUE, "value " + v);
        }
    }

    /** The integral of the normal density from 0 to {@code x >= 0}, by composite Simpson's rule. */
    private static double simpson(double x) {
        int m = 2000;
        double h = x / m;
        double s = density(0) + density(x);
        for (int i = 1; i < m; i++) {
            s += (i % 2 == 1 ? 4 : 2) * density(i * h);
        }
        return s * h / 3;
    }

    private static double density(double x) {
        return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }
}
