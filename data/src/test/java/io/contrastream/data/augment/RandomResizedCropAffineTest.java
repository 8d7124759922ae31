package io.contrastream.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.data.Image;
import io.contrastream.data.SyntheticShapes;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomResizedCropAffineTest {

    private static final Map<String, Double> CROP = Map.of("scale_min", 0.5, "scale_max", 1.0, "ratio_min", 0.8,
            "ratio_max", 1.25);

    /** 1 x h x w image with value (y * w + x + 1) / div. */
    private static float[] ramp(int h, int w, float div) {
        float[] a = new float[h * w];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i + 1) / div;
        }
        return a;
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextDouble();
        }
        return a;
    }

    @Test
    void shouldBeIdentityForWholeImageWithoutRotationOrShift() {
        float[] src = ramp(3, 4, 12f);
        float[] dst = new float[12];
        RandomResizedCropAffine.resample(src, dst, 1, 3, 4, 0, 0, 3, 4, 0, 0, 0);
        assertArrayEquals(src, dst);
    }

    @Test
    void shouldShiftByIntegerTranslationFillingZeros() {
        float[] src = ramp(3, 3, 10f);
        float[] dst = new float[9];
        // out(y, x) = src(y + 1, x - 1): right by 1, up by 1; column 0 and row 2 come from outside: 0
        RandomResizedCropAffine.resample(src, dst, 1, 3, 3, 0, 0, 3, 3, 0, 1, -1);
        assertArrayEquals(new float[] {0f, 0.4f, 0.5f, 0f, 0.7f, 0.8f, 0f, 0f, 0f}, dst);
    }

    @Test
    void shouldRotateQuarterTurnCounterClockwise() {
        float[] src = ramp(3, 3, 10f);
        float[] dst = new float[9];
        RandomResizedCropAffine.resample(src, dst, 1, 3, 3, 0, 0, 3, 3, Math.PI / 2, 0, 0);
        assertArrayEquals(new float[] {0.3f, 0.6f, 0.9f, 0.2f, 0.5f, 0.8f, 0.1f, 0.4f, 0.7f}, dst, 1e-6f);
    }

    @Test
    void shouldUpsampleCropBilinearlyClampingToTheWindow() {
        float[] src = ramp(4, 4, 16f);
        float[] dst = new float[16];
        // crop rows 1..2, cols 1..2 to 4x4: source x = 1 + (x + 0.5) / 2 - 0.5 = 0.75 (clamped 1), 1.25, 1.75,
        // 2.25 (clamped 2); rows alike
        RandomResizedCropAffine.resample(src, dst, 1, 4, 4, 1, 1, 2, 2, 0, 0, 0);
        assertArrayEquals(new float[] {6f / 16, 6.25f / 16, 6.75f / 16, 7f / 16}, Arrays.copyOfRange(dst, 0, 4));
        assertEquals(7f / 16, dst[4]);
        assertEquals(11f / 16, dst[15]);
    }

    @Test
    void shouldMatchTheCropOpWithoutRotationUpToFixedPointRounding() {
        SplittableRandom rng = new SplittableRandom(21);
        for (int[] s : new int[][] {{1, 28, 28}, {3, 9, 7}, {2, 5, 6}, {1, 1, 1}}) {
            for (int t = 0; t < 50; t++) {
                int ch = 1 + rng.nextInt(s[1]);
                int cw = 1 + rng.nextInt(s[2]);
                int y0 = rng.nextInt(s[1] - ch + 1);
                int x0 = rng.nextInt(s[2] - cw + 1);
                float[] src = random(rng, s[0] * s[1] * s[2]);
                float[] expected = new float[src.length];
                float[] actual = new float[src.length];
                RandomResizedCrop.resize(src, expected, s[0], s[1], s[2], y0, x0, ch, cw);
                RandomResizedCropAffine.resample(src, actual, s[0], s[1], s[2], y0, x0, ch, cw, 0, 0, 0);
                // coordinates differ by at most about (w / 2 + 1) * 2^-16 pixels (the rounded 16.16 step times the
                // column, plus the fraction's rounding), and values of a random image by at most that much
                assertArrayEquals(expected, actual, 1e-3f, "crop " + y0 + "," + x0 + " " + ch + "x" + cw);
            }
        }
    }

    @Test
    void shouldMatchTheAffineOpAwayFromTheBorder() {
        SplittableRandom rng = new SplittableRandom(22);
        int h = 20;
        int w = 20;
        for (int t = 0; t < 50; t++) {
            double angle = (rng.nextDouble() * 2 - 1) * Math.toRadians(15);
            double tx = (rng.nextDouble() * 2 - 1) * 2;
            double ty = (rng.nextDouble() * 2 - 1) * 2;
            float[] src = random(rng, h * w);
            float[] expected = new float[src.length];
            float[] actual = new float[src.length];
            Affine.transform(src, expected, 1, h, w, angle, tx, ty);
            RandomResizedCropAffine.resample(src, actual, 1, h, w, 0, 0, h, w, angle, tx, ty);
            for (int y = 6; y < h - 6; y++) {
                for (int x = 6; x < w - 6; x++) {
                    assertEquals(expected[y * w + x], actual[y * w + x], 1e-3f, "pixel " + y + "," + x);
                }
            }
        }
    }

    @Test
    void shouldTransformEachChannelLikeASingleChannelImage() {
        SplittableRandom rng = new SplittableRandom(23);
        int h = 7;
        int w = 5;
        float[] src = random(rng, 3 * h * w);
        float[] all = new float[src.length];
        RandomResizedCropAffine.resample(src, all, 3, h, w, 1, 0, 5, 4, 0.3, 0.7, -0.4);
        for (int k = 0; k < 3; k++) {
            float[] plane = Arrays.copyOfRange(src, k * h * w, (k + 1) * h * w);
            float[] one = new float[h * w];
            RandomResizedCropAffine.resample(plane, one, 1, h, w, 1, 0, 5, 4, 0.3, 0.7, -0.4);
            assertArrayEquals(one, Arrays.copyOfRange(all, k * h * w, (k + 1) * h * w));
        }
    }

    @Test
    void shouldDrawTheCropLikeTheCropStepAndSkipTheAffineAtProbabilityZero() {
        Image image = new SyntheticShapes("train", 4, 1, 28, 28, 3L).get(2).image();
        AugmentationPipeline crop = AugmentationPipeline.of(List.of(new AugmentationSpec("random_resized_crop", 1, CROP)));
        Map<String, Double> params = new java.util.HashMap<>(CROP);
        params.put("affine_probability", 0.0);
        AugmentationPipeline fused = AugmentationPipeline.of(List.of(
                new AugmentationSpec("random_resized_crop_affine", 1, params)));
        for (long seed = 0; seed < 30; seed++) {
            assertArrayEquals(crop.apply(image, seed).pixels(), fused.apply(image, seed).pixels(), 1e-3f);
        }
    }

    @Test
    void shouldBeDeterministicInUnitRangeAndRotateSomeViews() {
        Image image = new SyntheticShapes("train", 4, 3, 16, 16, 3L).get(1).image();
        Map<String, Double> params = new java.util.HashMap<>(CROP);
        params.put("max_degrees", 180.0);
        params.put("max_translate", 0.5);
        params.put("affine_probability", 0.5);
        List<AugmentationSpec> recipe = List.of(new AugmentationSpec("random_resized_crop_affine", 1, params));
        AugmentationPipeline p = AugmentationPipeline.of(recipe);
        AugmentationPipeline q = AugmentationPipeline.of(recipe);
        params.put("affine_probability", 0.0);
        AugmentationPipeline cropOnly = AugmentationPipeline.of(List.of(
                new AugmentationSpec("random_resized_crop_affine", 1, params)));
        int rotated = 0;
        for (long seed = 0; seed < 40; seed++) {
            Image a = p.apply(image, seed);
            assertArrayEquals(a.toFloat32LE(), q.apply(image, seed).toFloat32LE());
            a.checkRange();
            if (!Arrays.equals(a.pixels(), cropOnly.apply(image, seed).pixels())) {
                rotated++;
            }
        }
        assertTrue(rotated > 5 && rotated < 35, "views with the affine part: " + rotated);
    }

    @Test
    void shouldNameUnknownParameterAndRejectBadProbability() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AugmentationPipeline.of(List.of(
                new AugmentationSpec("random_resized_crop_affine", 1, Map.of("sigma", 1.0)))));
        assertTrue(e.getMessage().contains("sigma"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AugmentationPipeline.of(List.of(
                new AugmentationSpec("random_resized_crop_affine", 1, Map.of("affine_probability", 1.5)))));
    }

    @Test
    void shouldBeUsedByTheDigitsPresetInPlaceOfTheSeparateSteps() {
        List<String> names = AugmentationPresets.forDigits().stream().map(AugmentationSpec::name).toList();
        assertEquals("random_resized_crop_affine", names.get(0));
        assertTrue(!names.contains("random_resized_crop") && !names.contains("affine"), names.toString());
        assertNotEquals(0.0, AugmentationPresets.forDigits().get(0).params().get("affine_probability"));
    }
}
