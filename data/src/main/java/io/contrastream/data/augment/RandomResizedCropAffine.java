package io.contrastream.data.augment;

import java.util.SplittableRandom;

/**
 * {@code random_resized_crop_affine}: {@code random_resized_crop} followed (with probability
 * {@code affine_probability}) by {@code affine}, resampled once instead of twice. About half the cost of the two ops
 * in a row, with similar but not identical views: one bilinear interpolation of the input instead of two, so slightly
 * sharper. The two separate ops stay as they were so that recipes naming them recreate their views bit-for-bit.
 *
 * <p>Draws, from the pipeline's generator: the crop exactly as {@link RandomResizedCrop} (window
 * {@code [x0, x0 + cw) x [y0, y0 + ch)}, the whole image when no attempt fits); then one {@code nextDouble()}; when it
 * is below {@code affine_probability}, the angle and shifts exactly as {@link Affine}, else angle 0 and no shift.
 *
 * <p>Output value {@code (x, y)}: the affine inverse map {@code u = cos (x - cx - tx) - sin (y - cy - ty) + cx},
 * {@code v = sin (x - cx - tx) + cos (y - cy - ty) + cy} ({@code cx = (w - 1) / 2}, {@code cy = (h - 1) / 2}, cos and
 * sin by {@link StrictMath}) gives a point of the cropped-and-resized image, and the crop map
 * {@code sx = x0 + (u + 0.5) cw / w - 0.5}, {@code sy = y0 + (v + 0.5) ch / h - 0.5} a point of the input. The
 * composition is affine, {@code sx = ax x + bx y + c_x}, and is evaluated in 16.16 fixed point: per row the start
 * {@code round(2^16 (bx y + c_x))} plus {@code x} times the step {@code round(2^16 ax)} (integer arithmetic, so
 * reproducible anywhere), likewise {@code sy}. The value is 0 when the point lies outside the cropped image by a pixel
 * or more ({@code u <= -1}, {@code u >= w}, {@code v <= -1} or {@code v >= h}, as thresholds on {@code sx, sy} rounded
 * the same way), as {@code affine} fills outside the image with 0. Otherwise {@code sx} is clamped to
 * {@code [x0, x0 + cw - 1]} and {@code sy} to {@code [y0, y0 + ch - 1]} (edge pixels replicated, as the crop does);
 * with {@code X = sx >> 16}, {@code fx = (sx & 0xFFFF) * 2^-16}, {@code X1 = min(X + 1, x0 + cw - 1)} and likewise
 * {@code Y, fy, Y1}, the value is {@code top + (bot - top) * fy} with {@code top = p(Y, X) + (p(Y, X1) - p(Y, X)) * fx}
 * and {@code bot} the same on row {@code Y1}, in float.
 */
final class RandomResizedCropAffine implements Op {

    private static final int ATTEMPTS = 10;
    private static final int ONE = 1 << 16;
    private static final float INV_ONE = 1f / ONE;

    private final double scaleMin;
    private final double scaleMax;
    private final double logRatioMin;
    private final double logRatioMax;
    private final double affineProbability;
    private final double maxRadians;
    private final double maxTranslate;

    RandomResizedCropAffine(double scaleMin, double scaleMax, double ratioMin, double ratioMax,
                            double affineProbability, double maxDegrees, double maxTranslate) {
        this.scaleMin = scaleMin;
        this.scaleMax = scaleMax;
        this.logRatioMin = Math.log(ratioMin);
        this.logRatioMax = Math.log(ratioMax);
        this.affineProbability = affineProbability;
        this.maxRadians = Math.toRadians(maxDegrees);
        this.maxTranslate = maxTranslate;
    }

    @Override
    public boolean apply(float[] src, float[] dst, int c, int h, int w, SplittableRandom rng) {
        int y0 = 0;
        int x0 = 0;
        int ch = h;
        int cw = w;
        double area = (double) h * w;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double target = area * Op.uniform(rng, scaleMin, scaleMax);
            double aspect = Math.exp(Op.uniform(rng, logRatioMin, logRatioMax));
            int tw = (int) Math.round(Math.sqrt(target * aspect));
            int th = (int) Math.round(Math.sqrt(target / aspect));
            if (tw > 0 && th > 0 && tw <= w && th <= h) {
                y0 = rng.nextInt(h - th + 1);
                x0 = rng.nextInt(w - tw + 1);
                ch = th;
                cw = tw;
                break;
            }
        }
        double angle = 0;
        double tx = 0;
        double ty = 0;
        if (rng.nextDouble() < affineProbability) {
            angle = Op.uniform(rng, -maxRadians, maxRadians);
            tx = Op.uniform(rng, -maxTranslate, maxTranslate) * w;
            ty = Op.uniform(rng, -maxTranslate, maxTranslate) * h;
        }
        resample(src, dst, c, h, w, y0, x0, ch, cw, angle, tx, ty);
        return true;
    }

    private static int fixed(double v) {
        return (int) Math.round(v * ONE);
    }

    /** Writes the crop {@code [y0, y0+ch) x [x0, x0+cw)} of {@code src}, rotated and shifted, to {@code dst}. */
    static void resample(float[] src, float[] dst, int c, int h, int w, int y0, int x0, int ch, int cw,
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
        int stepXx = fixed(kx * cos);
        int stepYx = fixed(ky * sin);
        double rowX = -kx * sin;
        double rowY = ky * cos;
        double baseX = x0 + (uc + 0.5) * kx - 0.5;
        double baseY = y0 + (vc + 0.5) * ky - 0.5;
        // outside by a pixel or more: u <= -1, u >= w, v <= -1, v >= h
        int loX = fixed(x0 - 0.5 * kx - 0.5);
        int hiX = fixed(x0 + (w + 0.5) * kx - 0.5);
        int loY = fixed(y0 - 0.5 * ky - 0.5);
        int hiY = fixed(y0 + (h + 0.5) * ky - 0.5);
        int lastX = x0 + cw - 1;
        int lastY = y0 + ch - 1;
        int minX = x0 << 16;
        int maxX = lastX << 16;
        int minY = y0 << 16;
        int maxY = lastY << 16;
        int planeSize = h * w;
        if (sin == 0 && stepYx == 0) {
            // no rotation: sx depends on x only and sy on y only (rowX * y is a zero, so sx0 = fixed(baseX) on every
            // row), so the interior is the product of a column run and the rows with interior sy
            resampleAxisAligned(src, dst, c, h, w, fixed(baseX), stepXx, rowY, baseY, loX, hiX, loY, hiY, minX, maxX,
                    minY, maxY, x0, y0, lastX, lastY);
            return;
        }
        for (int y = 0; y < h; y++) {
            int sx0 = fixed(rowX * y + baseX);
            int sy0 = fixed(rowY * y + baseY);
            // sx and sy are linear in x, so the columns needing no clamp form one run [xa, xb)
            int xa = 0;
            while (xa < w && !interior(sx0 + xa * stepXx, sy0 + xa * stepYx, minX, maxX, minY, maxY)) {
                xa++;
            }
            int xb = w;
            while (xb > xa && !interior(sx0 + (xb - 1) * stepXx, sy0 + (xb - 1) * stepYx, minX, maxX, minY, maxY)) {
                xb--;
            }
            int out = y * w;
            for (int k = 0, plane = 0; k < c; k++, plane += planeSize) {
                for (int x = 0; x < xa; x++) {
                    dst[plane + out + x] = edge(src, plane, w, sx0 + x * stepXx, sy0 + x * stepYx,
                            loX, hiX, loY, hiY, minX, maxX, minY, maxY, lastX, lastY);
                }
                int sx = sx0 + xa * stepXx;
                int sy = sy0 + xa * stepYx;
                for (int x = xa; x < xb; x++, sx += stepXx, sy += stepYx) {
                    float fx = (sx & 0xFFFF) * INV_ONE;
                    float fy = (sy & 0xFFFF) * INV_ONE;
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
                    dst[plane + out + x] = edge(src, plane, w, sx0 + x * stepXx, sy0 + x * stepYx,
                            loX, hiX, loY, hiY, minX, maxX, minY, maxY, lastX, lastY);
                }
            }
        }
    }

    /**
     * {@link #resample} without rotation, with the same values: an interior value is {@code top + (bot - top) * fy}
     * where {@code top} is the horizontal interpolation of source row {@code Y} at the column's {@code X, fx} and
     * {@code bot} that of row {@code Y + 1}; these depend only on the source row and the output column, so each
     * source row of the window is interpolated once (into its own array, so that the vertical step reads every array
     * at one index and is vectorised) instead of once or twice per output row. Values outside the interior go
     * through {@link #edge} as in the rotated case.
     */
    private static void resampleAxisAligned(float[] src, float[] dst, int c, int h, int w, int sx0, int stepXx,
                                            double rowY, double baseY, int loX, int hiX, int loY, int hiY, int minX,
                                            int maxX, int minY, int maxY, int x0, int y0, int lastX, int lastY) {
        int xa = 0;
        while (xa < w && !(sx0 + xa * stepXx >= minX && sx0 + xa * stepXx < maxX)) {
            xa++;
        }
        int xb = w;
        while (xb > xa && !(sx0 + (xb - 1) * stepXx >= minX && sx0 + (xb - 1) * stepXx < maxX)) {
            xb--;
        }
        Scratch scratch = Scratch.get();
        int[] column = scratch.indices(w);
        float[] fraction = scratch.weights(w);
        for (int x = xa; x < xb; x++) {
            int sx = sx0 + x * stepXx;
            column[x] = sx >> 16;
            fraction[x] = (sx & 0xFFFF) * INV_ONE;
        }
        int rows = lastY - y0 + 1;
        float[][] lerped = scratch.rowArrays(rows, w);
        int planeSize = h * w;
        for (int k = 0, plane = 0; k < c; k++, plane += planeSize) {
            // only source rows some interior output row reads are interpolated
            int firstRow = Integer.MAX_VALUE;
            int endRow = Integer.MIN_VALUE;
            for (int y = 0; y < h; y++) {
                int sy = fixed(rowY * y + baseY);
                if (sy >= minY && sy < maxY) {
                    firstRow = Math.min(firstRow, sy >> 16);
                    endRow = Math.max(endRow, (sy >> 16) + 2);
                }
            }
            for (int row = firstRow; row < endRow && xa < xb; row++) {
                float[] out = lerped[row - y0];
                int base = plane + row * w;
                for (int x = xa; x < xb; x++) {
                    int i = base + column[x];
                    float p0 = src[i];
                    out[x] = p0 + (src[i + 1] - p0) * fraction[x];
                }
            }
            for (int y = 0; y < h; y++) {
                int sy = fixed(rowY * y + baseY);
                int out = plane + y * w;
                boolean interiorRow = sy >= minY && sy < maxY;
                int from = interiorRow ? xa : w;
                int to = interiorRow ? xb : w;
                for (int x = 0; x < from; x++) {
                    dst[out + x] = edge(src, plane, w, sx0 + x * stepXx, sy, loX, hiX, loY, hiY, minX, maxX, minY,
                            maxY, lastX, lastY);
                }
                if (interiorRow) {
                    float[] top = lerped[(sy >> 16) - y0];
                    float[] bot = lerped[(sy >> 16) + 1 - y0];
                    float fy = (sy & 0xFFFF) * INV_ONE;
                    for (int x = xa; x < xb; x++) {
                        float t = top[x];
                        dst[out + x] = t + (bot[x] - t) * fy;
                    }
                }
                for (int x = to; x < w; x++) {
                    dst[out + x] = edge(src, plane, w, sx0 + x * stepXx, sy, loX, hiX, loY, hiY, minX, maxX, minY,
                            maxY, lastX, lastY);
                }
            }
        }
    }

    /** Whether {@code (sx, sy)} and its right and lower neighbours lie in the window without clamping. */
    private static boolean interior(int sx, int sy, int minX, int maxX, int minY, int maxY) {
        return sx >= minX && sx < maxX && sy >= minY && sy < maxY;
    }

    private static float edge(float[] src, int plane, int w, int sx, int sy, int loX, int hiX, int loY, int hiY,
                              int minX, int maxX, int minY, int maxY, int lastX, int lastY) {
        if (sx <= loX || sx >= hiX || sy <= loY || sy >= hiY) {
            return 0f;
        }
        sx = Math.max(minX, Math.min(maxX, sx));
        sy = Math.max(minY, Math.min(maxY, sy));
        int xi = sx >> 16;
        int yi = sy >> 16;
        float fx = (sx & 0xFFFF) * INV_ONE;
        float fy = (sy & 0xFFFF) * INV_ONE;
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
