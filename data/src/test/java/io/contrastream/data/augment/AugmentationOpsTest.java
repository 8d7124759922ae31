package io.contrastream.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentationOpsTest {

    /** 1 x h x w image with value (y * w + x + 1) / 10 (3x3: 0.1 .. 0.9 row-major). */
    private static float[] ramp(int h, int w, float div) {
        float[] a = new float[h * w];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i + 1) / div;
        }
        return a;
    }

    @Test
    void shouldReverseColumnsOnHorizontalFlip() {
        float[] src = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
        float[] dst = new float[6];
        assertTrue(new HorizontalFlip().apply(src, dst, 1, 2, 3, new SplittableRandom(1)));
        assertArrayEquals(new float[] {0.3f, 0.2f, 0.1f, 0.6f, 0.5f, 0.4f}, dst);
    }

    @Test
    void shouldFlipEachChannelIndependently() {
        float[] src = {0.1f, 0.2f, 0.7f, 0.8f};
        float[] dst = new float[4];
        new HorizontalFlip().apply(src, dst, 2, 1, 2, new SplittableRandom(1));
        assertArrayEquals(new float[] {0.2f, 0.1f, 0.8f, 0.7f}, dst);
    }

    @Test
    void shouldAddBrightnessAndClamp() {
        float[] a = {0.1f, 0.5f, 0.95f};
        BrightnessContrast.adjust(a, 1, 3, 0.1f, 1f);
        // 0.1+0.1=0.2, 0.5+0.1=0.6, 0.95+0.1=1.05 -> clamped to 1
        assertEquals(0.2f, a[0], 1e-6);
        assertEquals(0.6f, a[1], 1e-6);
        assertEquals(1f, a[2], 0f);
    }

    @Test
    void shouldScaleDeviationFromChannelMeanForContrast() {
        float[] a = {0.2f, 0.4f, 0.6f, 0.1f, 0.1f, 0.4f};
        BrightnessContrast.adjust(a, 2, 3, 0f, 2f);
        // channel 0 mean 0.4: (0.2-0.4)*2+0.4=0, 0.4, (0.6-0.4)*2+0.4=0.8
        // channel 1 mean 0.2: (0.1-0.2)*2+0.2=0, 0, (0.4-0.2)*2+0.2=0.6
        assertArrayEquals(new float[] {0f, 0.4f, 0.8f, 0f, 0f, 0.6f}, a, 1e-6f);
    }

    @Test
    void shouldEraseExactlyTheGivenRectangle() {
        float[] a = new float[2 * 4 * 4];
        java.util.Arrays.fill(a, 1f);
        RandomErasing.erase(a, 2, 4, 4, 1, 2, 2, 1, 0f);
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    boolean inside = x == 2 && (y == 1 || y == 2);
                    assertEquals(inside ? 0f : 1f, a[(c * 4 + y) * 4 + x], "c=" + c + " y=" + y + " x=" + x);
                }
            }
        }
    }

    @Test
    void shouldEraseAChosenAreaWithinScaleBounds() {
        float[] a = new float[10 * 10];
        java.util.Arrays.fill(a, 1f);
        // scale fixed at 0.16 and ratio 1: a 4x4 square of zeros somewhere
        new RandomErasing(0.16, 0.16, 1, 1, 0).apply(a, new float[100], 1, 10, 10, new SplittableRandom(3));
        int zeros = 0;
        for (float v : a) {
            zeros += v == 0f ? 1 : 0;
        }
        assertEquals(16, zeros);
    }

    @Test
    void shouldBlurDeltaIntoNormalisedKernelOuterProduct() {
        // sigma 0.8 -> radius ceil(2.4) = 3; weights exp(-i^2 / 1.28) for i = 0..3: 1, 0.457833, 0.0439369,
        // 0.000883826; sum over -3..3 = 2.0053078 -> normalised 0.4986765, 0.2283107, 0.0219103, 0.0004407
        float[] k = GaussianBlur.kernel(0.8);
        float[] expected = {0.00044074f, 0.02191031f, 0.22831072f, 0.49867645f, 0.22831072f, 0.02191031f, 0.00044074f};
        assertArrayEquals(expected, k, 1e-7f);
        float[] a = new float[49];
        a[3 * 7 + 3] = 1f;
        GaussianBlur.blur(a, new float[49], 1, 7, 7, 0.8);
        double sum = 0;
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 7; x++) {
                assertEquals(expected[y] * expected[x], a[y * 7 + x], 1e-7, "y=" + y + " x=" + x);
                sum += a[y * 7 + x];
            }
        }
        assertEquals(1.0, sum, 1e-6);
    }

    @Test
    void shouldKeepConstantImageUnderBlur() {
        float[] a = new float[5 * 6];
        java.util.Arrays.fill(a, 0.3f);
        GaussianBlur.blur(a, new float[30], 1, 5, 6, 1.7);
        for (float v : a) {
            assertEquals(0.3f, v, 1e-6f);
        }
    }

    @Test
    void shouldBeIdentityForZeroRotationAndTranslation() {
        float[] src = ramp(3, 3, 10f);
        float[] dst = new float[9];
        Affine.transform(src, dst, 1, 3, 3, 0, 0, 0);
        assertArrayEquals(src, dst);
    }

    @Test
    void shouldShiftByIntegerTranslationFillingZeros() {
        float[] src = ramp(3, 3, 10f);
        float[] dst = new float[9];
        // out(y, x) = src(y + 1, x - 1): right by 1, up by 1
        Affine.transform(src, dst, 1, 3, 3, 0, 1, -1);
        assertArrayEquals(new float[] {0f, 0.4f, 0.5f, 0f, 0.7f, 0.8f, 0f, 0f, 0f}, dst);
    }

    @Test
    void shouldRotateQuarterTurnCounterClockwise() {
        float[] src = ramp(3, 3, 10f);
        float[] dst = new float[9];
        // out(y, x) = src(y' = x, x' = 2 - y): top row becomes the right column read top-down (0.3, 0.6, 0.9)
        Affine.transform(src, dst, 1, 3, 3, Math.PI / 2, 0, 0);
        assertArrayEquals(new float[] {0.3f, 0.6f, 0.9f, 0.2f, 0.5f, 0.8f, 0.1f, 0.4f, 0.7f}, dst, 1e-6f);
    }

    @Test
    void shouldReturnIdentityForFullImageCrop() {
        float[] src = ramp(4, 4, 16f);
        float[] dst = new float[16];
        RandomResizedCrop.resize(src, dst, 1, 4, 4, 0, 0, 4, 4);
        assertArrayEquals(src, dst);
        float[] viaRandom = new float[16];
        assertTrue(new RandomResizedCrop(1, 1, 1, 1).apply(src, viaRandom, 1, 4, 4, new SplittableRandom(9)));
        assertArrayEquals(src, viaRandom);
    }

    @Test
    void shouldUpsampleCropBilinearly() {
        float[] src = ramp(4, 4, 16f);
        float[] dst = new float[16];
        // crop rows 1..2, cols 1..2 (values 6/16, 7/16 / 10/16, 11/16) to 4x4:
        // source x = (x + 0.5) * 2 / 4 - 0.5 = -0.25 (clamped 0), 0.25, 0.75, 1.25 (clamped 1); same for y
        // row 0: 6/16 + {0, 0.25, 0.75, 1} * 1/16 ; row 1 (sy = 0.25): + 0.25 * 4/16
        RandomResizedCrop.resize(src, dst, 1, 4, 4, 1, 1, 2, 2);
        assertArrayEquals(new float[] {6f / 16, 6.25f / 16, 6.75f / 16, 7f / 16}, java.util.Arrays.copyOfRange(dst, 0, 4), 1e-6f);
        assertEquals(7f / 16, dst[4], 1e-6f);
        assertEquals(11f / 16, dst[15], 1e-6f);
    }

    @Test
    void shouldLeaveImageUnchangedWithZeroNoiseAndMatchSigmaOtherwise() {
        assertNoiseOfSigma(GaussianNoise::new);
    }

    /** Sigma 0 leaves a flat 0.5 image unchanged; sigma 0.1 gives mean 0.5 and standard deviation 0.1. */
    private static void assertNoiseOfSigma(java.util.function.DoubleFunction<Op> noise) {
        float[] a = new float[10_000];
        java.util.Arrays.fill(a, 0.5f);
        assertFalse(noise.apply(0).apply(a, null, 1, 100, 100, new SplittableRandom(1)));
        for (float v : a) {
            assertEquals(0.5f, v);
        }
        noise.apply(0.1).apply(a, null, 1, 100, 100, new SplittableRandom(1));
        double mean = 0;
        double sq = 0;
        for (float v : a) {
            mean += v;
            sq += (v - 0.5) * (v - 0.5);
        }
        mean /= a.length;
        // 10,000 samples: standard error of the mean 0.001, of the std about 0.0007
        assertEquals(0.5, mean, 0.005);
        assertEquals(0.1, Math.sqrt(sq / a.length), 0.005);
    }

    @Test
    void shouldAddNoiseOfSigmaWithTheZigguratAndClampToUnitRange() {
        assertNoiseOfSigma(GaussianNoiseV2::new);
        float[] edges = {0f, 1f, 0f, 1f, -0f, 0.999f};
        new GaussianNoiseV2(2).apply(edges, null, 1, 2, 3, new SplittableRandom(2));
        for (float v : edges) {
            assertTrue(v >= 0f && v <= 1f && Float.floatToRawIntBits(v) != Integer.MIN_VALUE, "value " + v);
        }
    }

    @Test
    void shouldAddZigguratVariateIToValueI() {
        float[] a = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f};
        float[] noisy = a.clone();
        SplittableRandom rng = new SplittableRandom(5);
        new GaussianNoiseV2(0.01).apply(noisy, null, 1, 1, 7, rng.split());
        float[] z = new float[7];
        new ZigguratNormal(new SplittableRandom(5).split().nextLong()).fill(z, 7);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i] + 0.01f * z[i], noisy[i], 0f, "value " + i);
        }
    }
}
