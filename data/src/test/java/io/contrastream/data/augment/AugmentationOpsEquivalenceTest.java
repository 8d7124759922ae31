package io.contrastream.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.contrastream.data.Image;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The optimised ops (row-wise loops, per-thread scratch, bounds checks only at the edges) must give the same float
 * bits as the straightforward per-pixel definitions below, which are the ops as first written; views are recreated
 * from (sample, recipe, seed), so any difference would break recreating views made before the optimisation.
 */
class AugmentationOpsEquivalenceTest {

    private static final int[][] SHAPES = {{1, 28, 28}, {3, 32, 32}, {1, 5, 6}, {2, 7, 3}, {1, 1, 1}, {1, 2, 9}};

    private static float[] randomImage(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextInt(3) == 0 ? 0f : (float) rng.nextDouble();
        }
        return a;
    }

    @Test
    void shouldBlurToTheSameBitsAsThePerPixelDefinition() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int[] s : SHAPES) {
            for (int t = 0; t < 40; t++) {
                double sigma = 0.05 + 4 * rng.nextDouble(); // radius up to 13: wider than the small shapes
                float[] a = randomImage(rng, s[0] * s[1] * s[2]);
                float[] expected = a.clone();
                referenceBlur(expected, new float[a.length], s[0], s[1], s[2], sigma);
                GaussianBlur.blur(a, new float[a.length], s[0], s[1], s[2], sigma);
                assertArrayEquals(expected, a, "blur " + s[0] + "x" + s[1] + "x" + s[2] + " sigma " + sigma);
            }
        }
    }

    @Test
    void shouldBlurWithNarrowKernelsToTheSameBitsAsThePerPixelDefinition() {
        // sigma <= 1: radius 1 to 3, the unrolled paths; values include -0 and values outside [0, 1]
        SplittableRandom rng = new SplittableRandom(15);
        for (int[] s : SHAPES) {
            for (int t = 0; t < 60; t++) {
                double sigma = t < 3 ? new double[] {0.3, 0.6, 1.0}[t] : 0.05 + 0.95 * rng.nextDouble();
                float[] a = randomImage(rng, s[0] * s[1] * s[2]);
                for (int i = 0; i < a.length; i++) {
                    int kind = rng.nextInt(8);
                    a[i] = kind == 0 ? -0f : kind == 1 ? (float) (rng.nextDouble() * 4 - 2) : a[i];
                }
                float[] expected = a.clone();
                referenceBlur(expected, new float[a.length], s[0], s[1], s[2], sigma);
                GaussianBlur.blur(a, new float[a.length], s[0], s[1], s[2], sigma);
                assertArrayEquals(expected, a, "blur " + s[0] + "x" + s[1] + "x" + s[2] + " sigma " + sigma);
            }
        }
    }

    @Test
    void shouldResizeCropsToTheSameBitsAsThePerPixelDefinition() {
        SplittableRandom rng = new SplittableRandom(12);
        for (int[] s : SHAPES) {
            for (int t = 0; t < 40; t++) {
                int ch = 1 + rng.nextInt(s[1]);
                int cw = 1 + rng.nextInt(s[2]);
                int y0 = rng.nextInt(s[1] - ch + 1);
                int x0 = rng.nextInt(s[2] - cw + 1);
                float[] src = randomImage(rng, s[0] * s[1] * s[2]);
                float[] expected = new float[src.length];
                float[] actual = new float[src.length];
                referenceResize(src, expected, s[0], s[1], s[2], y0, x0, ch, cw);
                RandomResizedCrop.resize(src, actual, s[0], s[1], s[2], y0, x0, ch, cw);
                assertArrayEquals(expected, actual, "crop " + y0 + "," + x0 + " " + ch + "x" + cw);
            }
        }
    }

    @Test
    void shouldTransformToTheSameBitsAsThePerPixelDefinition() {
        SplittableRandom rng = new SplittableRandom(13);
        for (int[] s : SHAPES) {
            for (int t = 0; t < 40; t++) {
                double angle = (rng.nextDouble() * 2 - 1) * Math.PI;
                double tx = (rng.nextDouble() * 2 - 1) * s[2];
                double ty = (rng.nextDouble() * 2 - 1) * s[1];
                float[] src = randomImage(rng, s[0] * s[1] * s[2]);
                float[] expected = new float[src.length];
                float[] actual = new float[src.length];
                referenceTransform(src, expected, s[0], s[1], s[2], angle, tx, ty);
                Affine.transform(src, actual, s[0], s[1], s[2], angle, tx, ty);
                assertArrayEquals(expected, actual, "affine " + angle + " " + tx + " " + ty);
            }
        }
    }

    @Test
    void shouldAdjustToTheSameBitsAsTheBranchyClamp() {
        SplittableRandom rng = new SplittableRandom(14);
        for (int[] s : SHAPES) {
            for (int t = 0; t < 40; t++) {
                float delta = t == 0 ? -0f : (float) (rng.nextDouble() * 2 - 1);
                float factor = t == 1 ? 1f : (float) (rng.nextDouble() * 2);
                float[] a = randomImage(rng, s[0] * s[1] * s[2]);
                if (t == 2) {
                    a[0] = -0f; // a -0 input must stay -0 when nothing moves it
                    delta = 0f;
                    factor = 1f;
                }
                float[] expected = a.clone();
                referenceAdjust(expected, s[0], s[1] * s[2], delta, factor);
                BrightnessContrast.adjust(a, s[0], s[1] * s[2], delta, factor);
                assertArrayEquals(expected, a, "adjust delta " + delta + " factor " + factor);
            }
        }
    }

    @Test
    void shouldGiveTheSameViewsWhateverImageSizesTheThreadAugmentedBefore() throws Exception {
        AugmentationPipeline digits = AugmentationPipeline.of(AugmentationPresets.forDigits());
        AugmentationPipeline wide = AugmentationPipeline.of(List.of(
                new AugmentationSpec("affine", 1.0, Map.of()),
                new AugmentationSpec("gaussian_noise", 1.0, Map.of("sigma", 0.1)),
                new AugmentationSpec("gaussian_noise_v2", 1.0, Map.of("sigma", 0.1)),
                new AugmentationSpec("gaussian_noise_v3", 1.0, Map.of("sigma", 0.1)),
                new AugmentationSpec("brightness_contrast", 1.0, Map.of())));
        Image small = new Image(1, 28, 28, randomImage(new SplittableRandom(1), 28 * 28));
        Image big = new Image(3, 32, 32, randomImage(new SplittableRandom(2), 3 * 32 * 32));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Image[]> fresh = pool.submit(() -> new Image[] {digits.apply(small, 5), wide.apply(small, 6)});
            Image[] first = fresh.get();
            // the same thread now augments a larger image, so its scratch buffers are larger than the small one (the
            // noise then runs on the scratch buffer and must draw one value per pixel of the image, not of the buffer)
            pool.submit(() -> wide.apply(big, 7)).get();
            Image[] again = pool.submit(() -> new Image[] {digits.apply(small, 5), wide.apply(small, 6)}).get();
            assertEquals(first[0], again[0]);
            assertEquals(first[1], again[1]);
            assertEquals(first[0], digits.apply(small, 5));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldGiveTheBitsOfTheAlwaysClampingPipelineWithAndWithoutAResultArray() {
        // apply() skips the final clamp when the last steps clamped, and applyTransient() returns a thread-owned
        // buffer: both must give the bits of running the steps on a copy and clamping at the end, whatever the input
        // (values outside [0, 1] and -0 included) and whatever sizes the thread's buffers had before
        List<List<AugmentationSpec>> recipes = List.of(AugmentationPresets.forDigits(),
                AugmentationPresets.forNaturalImages(), RecipeGoldenBytesTest.DIGITS_WITH_LEGACY_NOISE,
                RecipeGoldenBytesTest.DIGITS_WITH_SEPARATE_CROP_AND_AFFINE,
                RecipeGoldenBytesTest.DIGITS_WITH_SERIAL_MEAN_AND_ZIGGURAT_NOISE,
                RecipeGoldenBytesTest.NATURAL_WITH_SERIAL_MEAN, List.of(
                        new AugmentationSpec("gaussian_blur", 0.5, Map.of()),
                        new AugmentationSpec("horizontal_flip", 0.5, Map.of()),
                        new AugmentationSpec("random_erasing", 0.5, Map.of()),
                        new AugmentationSpec("random_resized_crop", 0.5, Map.of()),
                        new AugmentationSpec("affine", 0.5, Map.of())));
        SplittableRandom rng = new SplittableRandom(21);
        for (List<AugmentationSpec> recipe : recipes) {
            AugmentationPipeline p = AugmentationPipeline.of(recipe);
            for (int t = 0; t < 300; t++) {
                int[] s = SHAPES[rng.nextInt(SHAPES.length)];
                float[] a = randomImage(rng, s[0] * s[1] * s[2]);
                for (int i = 0; i < a.length; i++) {
                    int kind = rng.nextInt(10);
                    a[i] = kind == 0 ? -0f : kind == 1 ? (float) (rng.nextDouble() * 3 - 1) : a[i];
                }
                Image in = new Image(s[0], s[1], s[2], a.clone());
                long seed = rng.nextLong();
                float[] expected = referencePipeline(p, in, seed);
                assertArrayEquals(expected, p.apply(in, seed).pixels(), recipe + " seed " + seed);
                float[] transientResult = p.applyTransient(in, seed);
                assertEquals(a.length, transientResult.length);
                assertArrayEquals(expected, transientResult, recipe + " seed " + seed);
                assertArrayEquals(a, in.pixels(), "the input was modified");
            }
        }
    }

    /** The pipeline by its definition: each step drawn and run in turn on a copy, then every value clamped. */
    private static float[] referencePipeline(AugmentationPipeline p, Image in, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] cur = in.pixels().clone();
        float[] other = new float[cur.length];
        for (int i = 0; i < p.specs().size(); i++) {
            if (rng.nextDouble() < p.specs().get(i).probability()
                    && p.op(i).apply(cur, other, in.channels(), in.height(), in.width(), rng)) {
                float[] t = cur;
                cur = other;
                other = t;
            }
        }
        for (int i = 0; i < cur.length; i++) {
            float v = cur[i];
            cur[i] = v < 0f ? 0f : (v > 1f ? 1f : v);
        }
        return cur;
    }

    @Test
    void shouldResampleUnrotatedCropsToTheSameBitsAsTheGeneralPath() {
        // random_resized_crop_affine without rotation takes a separable path; it must give the bits of the general
        // (per-pixel) path as it was before that path existed, including windows shifted partly or wholly outside
        SplittableRandom rng = new SplittableRandom(31);
        for (int[] s : SHAPES) {
            for (int t = 0; t < 400; t++) {
                int c = s[0];
                int h = s[1];
                int w = s[2];
                int ch = 1 + rng.nextInt(h);
                int cw = 1 + rng.nextInt(w);
                int y0 = rng.nextInt(h - ch + 1);
                int x0 = rng.nextInt(w - cw + 1);
                double angle = t % 5 == 4 ? (rng.nextDouble() - 0.5) : (t % 2 == 0 ? 0.0 : -0.0);
                double tx = t % 3 == 0 ? 0 : (rng.nextDouble() - 0.5) * (t % 7 == 0 ? 3 : 0.4) * w;
                double ty = t % 4 == 0 ? 0 : (rng.nextDouble() - 0.5) * (t % 11 == 0 ? 3 : 0.4) * h;
                float[] a = randomImage(rng, c * h * w);
                for (int i = 0; i < a.length; i++) {
                    int kind = rng.nextInt(8);
                    a[i] = kind == 0 ? -0f : kind == 1 ? (float) (rng.nextDouble() * 4 - 2) : a[i];
                }
                float[] expected = new float[a.length];
                referenceResampleCropAffine(a, expected, c, h, w, y0, x0, ch, cw, angle, tx, ty);
                float[] actual = new float[a.length];
                RandomResizedCropAffine.resample(a, actual, c, h, w, y0, x0, ch, cw, angle, tx, ty);
                assertArrayEquals(expected, actual, c + "x" + h + "x" + w + " window " + y0 + "," + x0 + " " + ch
                        + "x" + cw + " angle " + angle + " shift " + tx + "," + ty);
            }
        }
    }

    // ---- the ops as first written (per pixel, bounds handled per tap) ----

    private static void referenceBlur(float[] a, float[] tmp, int c, int h, int w, double sigma) {
        float[] k = GaussianBlur.kernel(sigma);
        int r = k.length / 2;
        for (int row = 0; row < c * h; row++) {
            int base = row * w;
            for (int x = 0; x < w; x++) {
                float s = 0f;
                for (int i = -r; i <= r; i++) {
                    int xx = Math.max(0, Math.min(w - 1, x + i));
                    s += k[i + r] * a[base + xx];
                }
                tmp[base + x] = s;
            }
        }
        for (int ch = 0; ch < c; ch++) {
            int plane = ch * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float s = 0f;
                    for (int i = -r; i <= r; i++) {
                        int yy = Math.max(0, Math.min(h - 1, y + i));
                        s += k[i + r] * tmp[plane + yy * w + x];
                    }
                    a[plane + y * w + x] = s;
                }
            }
        }
    }

    private static void referenceResize(float[] src, float[] dst, int c, int h, int w, int y0, int x0, int ch,
                                        int cw) {
        for (int y = 0; y < h; y++) {
            double sy = Math.max(0, Math.min(ch - 1, (y + 0.5) * ch / h - 0.5));
            int j = (int) Math.floor(sy);
            float fy = (float) (sy - j);
            int r0 = y0 + j;
            int r1 = Math.min(r0 + 1, y0 + ch - 1);
            for (int x = 0; x < w; x++) {
                double sx = Math.max(0, Math.min(cw - 1, (x + 0.5) * cw / w - 0.5));
                int i = (int) Math.floor(sx);
                float fx = (float) (sx - i);
                int a = x0 + i;
                int b = Math.min(a + 1, x0 + cw - 1);
                for (int k = 0; k < c; k++) {
                    int row0 = (k * h + r0) * w;
                    int row1 = (k * h + r1) * w;
                    float top = src[row0 + a] + (src[row0 + b] - src[row0 + a]) * fx;
                    float bot = src[row1 + a] + (src[row1 + b] - src[row1 + a]) * fx;
                    dst[(k * h + y) * w + x] = top + (bot - top) * fy;
                }
            }
        }
    }

    private static void referenceTransform(float[] src, float[] dst, int c, int h, int w, double angle, double tx,
                                           double ty) {
        float cos = (float) Math.cos(angle);
        float sin = (float) Math.sin(angle);
        float cx = (w - 1) * 0.5f;
        float cy = (h - 1) * 0.5f;
        for (int y = 0; y < h; y++) {
            float dy = (float) (y - cy - ty);
            for (int x = 0; x < w; x++) {
                float dx = (float) (x - cx - tx);
                float sx = cos * dx - sin * dy + cx;
                float sy = sin * dx + cos * dy + cy;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                float fx = sx - x0;
                float fy = sy - y0;
                for (int k = 0; k < c; k++) {
                    int plane = k * h * w;
                    float p00 = at(src, plane, h, w, y0, x0);
                    float p01 = at(src, plane, h, w, y0, x0 + 1);
                    float p10 = at(src, plane, h, w, y0 + 1, x0);
                    float p11 = at(src, plane, h, w, y0 + 1, x0 + 1);
                    float top = p00 + (p01 - p00) * fx;
                    float bot = p10 + (p11 - p10) * fx;
                    dst[plane + y * w + x] = top + (bot - top) * fy;
                }
            }
        }
    }

    private static float at(float[] src, int plane, int h, int w, int y, int x) {
        return (y < 0 || y >= h || x < 0 || x >= w) ? 0f : src[plane + y * w + x];
    }

    private static void referenceAdjust(float[] a, int c, int plane, float delta, float factor) {
        for (int k = 0; k < c; k++) {
            int off = k * plane;
            float mean = 0f;
            if (factor != 1f) {
                double sum = 0;
                for (int i = 0; i < plane; i++) {
                    sum += a[off + i];
                }
                mean = (float) (sum / plane);
            }
            for (int i = 0; i < plane; i++) {
                float v = (a[off + i] - mean) * factor + mean + delta;
                a[off + i] = v < 0f ? 0f : (v > 1f ? 1f : v);
            }
        }
    }

    /** {@link RandomResizedCropAffine#resample} as it was before its unrotated path. */
    private static void referenceResampleCropAffine(float[] src, float[] dst, int c, int h, int w, int y0, int x0, int ch, int cw,
                         double angle, double tx, double ty) {
        double cos = angle == 0 ? 1 : StrictMath.cos(angle);
        double sin = angle == 0 ? 0 : StrictMath.sin(angle);
        double cx = (w - 1) * 0.5;
        double cy = (h - 1) * 0.5;
        double kx = (double) cw / w;
        double ky = (double) ch / h;
        // u = cos x - sin y + uc;  v = sin x + cos y + vc
        double uc = -cos * (cx + tx) + sin * (cy + ty) + cx;
        double vc = -sin * (cx + tx) - cos * (cy + ty) + cy;
        // sx = x0 + (u + 0.5) kx - 0.5, sy = y0 + (v + 0.5) ky - 0.5
        int stepXx = refFixed(kx * cos);
        int stepYx = refFixed(ky * sin);
        double rowX = -kx * sin;
        double rowY = ky * cos;
        double baseX = x0 + (uc + 0.5) * kx - 0.5;
        double baseY = y0 + (vc + 0.5) * ky - 0.5;
        // outside by a pixel or more: u <= -1, u >= w, v <= -1, v >= h
        int loX = refFixed(x0 - 0.5 * kx - 0.5);
        int hiX = refFixed(x0 + (w + 0.5) * kx - 0.5);
        int loY = refFixed(y0 - 0.5 * ky - 0.5);
        int hiY = refFixed(y0 + (h + 0.5) * ky - 0.5);
        int lastX = x0 + cw - 1;
        int lastY = y0 + ch - 1;
        int minX = x0 << 16;
        int maxX = lastX << 16;
        int minY = y0 << 16;
        int maxY = lastY << 16;
        int planeSize = h * w;
        for (int y = 0; y < h; y++) {
            int sx0 = refFixed(rowX * y + baseX);
            int sy0 = refFixed(rowY * y + baseY);
            // sx and sy are linear in x, so the columns needing no clamp form one run [xa, xb)
            int xa = 0;
            while (xa < w && !refInterior(sx0 + xa * stepXx, sy0 + xa * stepYx, minX, maxX, minY, maxY)) {
                xa++;
            }
            int xb = w;
            while (xb > xa && !refInterior(sx0 + (xb - 1) * stepXx, sy0 + (xb - 1) * stepYx, minX, maxX, minY, maxY)) {
                xb--;
            }
            int out = y * w;
            for (int k = 0, plane = 0; k < c; k++, plane += planeSize) {
                for (int x = 0; x < xa; x++) {
                    dst[plane + out + x] = refEdge(src, plane, w, sx0 + x * stepXx, sy0 + x * stepYx,
                            loX, hiX, loY, hiY, minX, maxX, minY, maxY, lastX, lastY);
                }
                int sx = sx0 + xa * stepXx;
                int sy = sy0 + xa * stepYx;
                for (int x = xa; x < xb; x++, sx += stepXx, sy += stepYx) {
                    float fx = (sx & 0xFFFF) * REF_INV_ONE;
                    float fy = (sy & 0xFFFF) * REF_INV_ONE;
                    int i00 = plane + (sy >> 16) * w + (sx >> 16);
                    float p00 = src[i00];
                    float p01 = src[i00 + 1];
                    float p10 = src[i00 + w];
                    float p11 = src[i00 + w + 1];
                    float top = p00 + (p01 - p00) * fx;
                    float bot = p10 + (p11 - p10) * fx;
                    dst[plane + out + x] = top + (bot - top) * fy;
                }
                for (int x = xb; x < w; x++) {
                    dst[plane + out + x] = refEdge(src, plane, w, sx0 + x * stepXx, sy0 + x * stepYx,
                            loX, hiX, loY, hiY, minX, maxX, minY, maxY, lastX, lastY);
                }
            }
        }
    }

    private static final float REF_INV_ONE = 1f / (1 << 16);

    private static int refFixed(double v) {
        return (int) Math.round(v * (1 << 16));
    }

    private static boolean refInterior(int sx, int sy, int minX, int maxX, int minY, int maxY) {
        return sx >= minX && sx < maxX && sy >= minY && sy < maxY;
    }

    private static float refEdge(float[] src, int plane, int w, int sx, int sy, int loX, int hiX, int loY, int hiY,
                                 int minX, int maxX, int minY, int maxY, int lastX, int lastY) {
        if (sx <= loX || sx >= hiX || sy <= loY || sy >= hiY) {
            return 0f;
        }
        sx = Math.max(minX, Math.min(maxX, sx));
        sy = Math.max(minY, Math.min(maxY, sy));
        int xi = sx >> 16;
        int yi = sy >> 16;
        float fx = (sx & 0xFFFF) * REF_INV_ONE;
        float fy = (sy & 0xFFFF) * REF_INV_ONE;
        int xj = Math.min(xi + 1, lastX);
        int top = plane + yi * w;
        int bot = plane + Math.min(yi + 1, lastY) * w;
        float p00 = src[top + xi];
        float p01 = src[top + xj];
        float p10 = src[bot + xi];
        float p11 = src[bot + xj];
        float t = p00 + (p01 - p00) * fx;
        float b = p10 + (p11 - p10) * fx;
        return t + (b - t) * fy;
    }
}
