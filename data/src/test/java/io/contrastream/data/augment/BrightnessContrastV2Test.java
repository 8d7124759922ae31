package io.contrastream.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.contrastream.data.Image;
import io.contrastream.data.SyntheticShapes;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BrightnessContrastV2Test {

    private static final int[][] SHAPES = {{1, 28, 28}, {3, 32, 32}, {1, 5, 6}, {2, 7, 3}, {1, 1, 1}, {1, 2, 9},
        {1, 1, 8}, {1, 3, 5}};

    @Test
    void shouldAdjustATinyImageByHand() {
        // seed 3: b = -0.2 + 0.4 * 0.11345034205715454 = -0.15461986, f = 0.7 + 0.6 * 0.7002935135929024 = 1.1201761
        float[] a = {0f, 0.4f, 0.6f, 1f}; // 1 x 2 x 2, mean 0.5
        assertFalse(BrightnessContrastV2.op(0.2, 0.3).apply(a, null, 1, 2, 2, new SplittableRandom(3)));
        float b = (float) (-0.2 + 0.4 * 0.11345034205715454);
        float f = (float) (0.7 + 0.6 * 0.7002935135929024);
        float mean = (float) (((0f + 0.4f) + ((double) 0.6f + 1f)) / 4); // lanes 0..3 hold one value each
        assertEquals(0.5f, mean, 0f);
        // (0 - 0.5) * 1.1201761 + 0.5 - 0.1546199 = -0.2147 -> 0
        assertEquals(0f, a[0], 0f);
        // (0.4 - 0.5) * 1.1201761 + 0.3453801 = 0.2333625
        assertEquals(0.2333625, a[1], 1e-6);
        assertEquals((0.4f - mean) * f + mean + b, a[1], 0f);
        assertEquals(0.4573977, a[2], 1e-6);
        assertEquals((0.6f - mean) * f + mean + b, a[2], 0f);
        // (1 - 0.5) * 1.1201761 + 0.3453801 = 0.9054682
        assertEquals(0.9054682, a[3], 1e-6);
        assertEquals((1f - mean) * f + mean + b, a[3], 0f);
    }

    @Test
    void shouldEqualTheDefinitionWithTheSameAccumulationOrder() {
        SplittableRandom rng = new SplittableRandom(31);
        for (int[] s : SHAPES) {
            for (int t = 0; t < 60; t++) {
                float delta = t == 0 ? -0f : (float) (rng.nextDouble() * 2 - 1);
                float factor = t == 1 ? 1f : (float) (rng.nextDouble() * 2);
                float[] a = image(rng, s[0] * s[1] * s[2], t % 3 == 2);
                if (t == 3) {
                    // a channel mean of -0 (a negative sum too small for a float) with a delta of -0
                    Arrays.fill(a, -0f);
                    a[0] = -Float.MIN_VALUE;
                    delta = -0f;
                }
                float[] expected = a.clone();
                reference(expected, s[0], s[1] * s[2], delta, factor);
                BrightnessContrastV2.adjust(a, s[0], s[1] * s[2], delta, factor);
                assertArrayEquals(expected, a, "shape " + Arrays.toString(s) + " delta " + delta + " factor " + factor);
            }
        }
    }

    @Test
    void shouldAgreeWithBrightnessContrastWithinFloatTolerance() {
        SplittableRandom rng = new SplittableRandom(32);
        for (int[] s : SHAPES) {
            for (int t = 0; t < 60; t++) {
                float[] a = image(rng, s[0] * s[1] * s[2], false);
                float[] v1 = a.clone();
                long seed = rng.nextLong();
                new BrightnessContrast(0.4, 0.4).apply(v1, null, s[0], s[1], s[2], new SplittableRandom(seed));
                BrightnessContrastV2.op(0.4, 0.4).apply(a, null, s[0], s[1], s[2], new SplittableRandom(seed));
                for (int i = 0; i < a.length; i++) {
                    assertEquals(v1[i], a[i], 1e-6f, "shape " + Arrays.toString(s) + " value " + i);
                }
            }
        }
    }

    @Test
    void shouldDifferFromTheSerialSumWhereRoundingOrderMatters() {
        // 16 values: 1, 2^-24 and fourteen of 2^-54. The serial double sum stays at 1 + 2^-24 (each 2^-54 is a quarter
        // of an ulp of 1), whose sixteenth rounds to the even float 1/16; the lanes add 2^-54 pairs first and reach
        // 1 + 2^-24 + 3 * 2^-52, which rounds up to (1 + 2^-23) / 16: a mean one ulp higher, hence a new op name.
        float[] a = new float[16];
        Arrays.fill(a, 0x1p-54f);
        a[0] = 1f;
        a[1] = 0x1p-24f;
        assertEquals((1 + 0x1p-23f) / 16, BrightnessContrastV2.mean(a, 0, 16), 0f);
        float[] v1 = a.clone();
        BrightnessContrast.adjust(v1, 1, 16, 0f, 0.5f);
        BrightnessContrastV2.adjust(a, 1, 16, 0f, 0.5f);
        // a 2^-54 value becomes about mean / 2: 1/32 by the serial mean, (1 + 2^-23) / 32 by the lanes
        assertEquals(1f / 32, v1[2], 0f);
        assertEquals((1 + 0x1p-23f) / 32, a[2], 0f);
        assertNotEquals(v1[2], a[2]);
    }

    @Test
    void shouldGiveTheSameBytesForTheSameSeedAndOthersForAnother() {
        Image rgb = new SyntheticShapes("train", 10, 3, 32, 32, 1L).get(7).image();
        List<AugmentationSpec> recipe = List.of(new AugmentationSpec("brightness_contrast_v2", 1.0,
                Map.of("brightness", 0.4, "contrast", 0.4)));
        Image a = AugmentationPipeline.of(recipe).apply(rgb, 9);
        assertArrayEquals(a.toFloat32LE(), AugmentationPipeline.of(recipe).apply(rgb, 9).toFloat32LE());
        assertFalse(Arrays.equals(a.toFloat32LE(), AugmentationPipeline.of(recipe).apply(rgb, 10).toFloat32LE()));
        a.checkRange();
    }

    @Test
    void shouldKeepNaNAndClampLikeBrightnessContrast() {
        float[] a = {0.2f, Float.NaN, 0.9f, -0.5f, 1.5f, 0.5f};
        float[] v1 = a.clone();
        BrightnessContrastV2.adjust(a, 2, 3, 0.1f, 1f); // factor 1: the mean is not used, a NaN stays in its place
        BrightnessContrast.adjust(v1, 2, 3, 0.1f, 1f);
        assertArrayEquals(v1, a);
        assertEquals(Float.NaN, a[1], 0f);
        assertEquals(0f, a[3], 0f);
        assertEquals(1f, a[4], 0f);
        float[] nan = {0.2f, Float.NaN, 0.9f};
        BrightnessContrastV2.adjust(nan, 1, 3, 0f, 2f); // a NaN mean makes the channel NaN, as in brightness_contrast
        assertArrayEquals(new float[] {Float.NaN, Float.NaN, Float.NaN}, nan);
    }

    /** Values in [0, 1] with zeros; with {@code edges}, also -0, NaN-free values outside [0, 1]. */
    private static float[] image(SplittableRandom rng, int n, boolean edges) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            int kind = rng.nextInt(10);
            a[i] = kind < 3 ? 0f : (float) rng.nextDouble();
            if (edges && kind == 0) {
                a[i] = -0f;
            } else if (edges && kind == 1) {
                a[i] = (float) (rng.nextDouble() * 3 - 1);
            }
        }
        return a;
    }

    /** The definition: lane {@code i % 8} sums value {@code i}, lanes combined pairwise, then the branchy clamp. */
    private static void reference(float[] a, int c, int plane, float delta, float factor) {
        for (int k = 0; k < c; k++) {
            int off = k * plane;
            float mean = 0f;
            if (factor != 1f) {
                double[] lane = new double[8];
                for (int i = 0; i < plane; i++) {
                    lane[i % 8] += a[off + i];
                }
                double sum = ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
                mean = (float) (sum / plane);
            }
            for (int i = 0; i < plane; i++) {
                float v = (a[off + i] - mean) * factor + mean + delta;
                a[off + i] = v < 0f ? 0f : (v > 1f ? 1f : v);
            }
        }
    }
}
