package io.contrastream.data.augment;

import java.util.SplittableRandom;

/**
 * Small rotation about the image centre plus translation: angle uniform in {@code [-maxDegrees, maxDegrees]},
 * shifts uniform in {@code [-maxTranslate, maxTranslate]} times the width/height. Inverse-mapped with bilinear
 * interpolation; samples outside the image are 0.
 */
final class Affine implements Op {

    private final double maxRadians;
    private final double maxTranslate;

    Affine(double maxDegrees, double maxTranslate) {
        this.maxRadians = Math.toRadians(maxDegrees);
        this.maxTranslate = maxTranslate;
    }

    @Override
    public boolean apply(float[] src, float[] dst, int c, int h, int w, SplittableRandom rng) {
        double angle = Op.uniform(rng, -maxRadians, maxRadians);
        double tx = Op.uniform(rng, -maxTranslate, maxTranslate) * w;
        double ty = Op.uniform(rng, -maxTranslate, maxTranslate) * h;
        transform(src, dst, c, h, w, angle, tx, ty);
        return true;
    }

    /**
     * Writes {@code src} rotated by {@code angle} radians (counter-clockwise on screen) then shifted by (tx, ty).
     *
     * <p>The per-column products are computed once per call. Per output row, the source coordinates
     * {@code sx(x), sy(x)} are each monotone in {@code x} (a float multiply by a fixed factor and a float add of a fixed
     * term are monotone, as is floor), so the columns whose four neighbours all lie inside the image form one run
     * {@code [xa, xb)}; it is found by scanning in from both ends, and read in a branch-free loop with truncation for
     * floor (the coordinates are non-negative there). Only the columns outside the run take the edge path. The float
     * arithmetic per value is unchanged, so the bytes are the same as the per-pixel definition's.
     */
    static void transform(float[] src, float[] dst, int c, int h, int w, double angle, double tx, double ty) {
        float cos = (float) Math.cos(angle);
        float sin = (float) Math.sin(angle);
        float cx = (w - 1) * 0.5f;
        float cy = (h - 1) * 0.5f;
        int planeSize = h * w;
        Scratch scratch = Scratch.get();
        float[] cols = scratch.weights(2 * w);
        for (int x = 0; x < w; x++) {
            float dx = (float) (x - cx - tx);
            cols[x] = cos * dx;
            cols[w + x] = sin * dx;
        }
        for (int y = 0; y < h; y++) {
            float dy = (float) (y - cy - ty);
            float sinDy = sin * dy;
            float cosDy = cos * dy;
            int out = y * w;
            int xa = 0;
            while (xa < w && !inside(cols[xa] - sinDy + cx, cols[w + xa] + cosDy + cy, h, w)) {
                xa++;
            }
            int xb = w;
            while (xb > xa && !inside(cols[xb - 1] - sinDy + cx, cols[w + xb - 1] + cosDy + cy, h, w)) {
                xb--;
            }
            edges(src, dst, c, h, w, cols, sinDy, cosDy, cx, cy, out, 0, xa);
            for (int k = 0, plane = 0; k < c; k++, plane += planeSize) {
                for (int x = xa; x < xb; x++) {
                    float sx = cols[x] - sinDy + cx;
                    float sy = cols[w + x] + cosDy + cy;
                    int x0 = (int) sx;
                    int y0 = (int) sy;
                    float fx = sx - x0;
                    float fy = sy - y0;
                    int i00 = plane + y0 * w + x0;
                    float p00 = src[i00];
                    float p01 = src[i00 + 1];
                    float p10 = src[i00 + w];
                    float p11 = src[i00 + w + 1];
                    float top = p00 + (p01 - p00) * fx;
                    float bot = p10 + (p11 - p10) * fx;
                    dst[plane + out + x] = top + (bot - top) * fy;
                }
            }
            edges(src, dst, c, h, w, cols, sinDy, cosDy, cx, cy, out, xb, w);
        }
    }

    /** Whether all four neighbours of {@code (sx, sy)} lie inside the image. */
    private static boolean inside(float sx, float sy, int h, int w) {
        int x0 = floor(sx);
        int y0 = floor(sy);
        return x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h;
    }

    /** Output columns {@code [from, to)} of row {@code out / w}, reading outside neighbours as 0. */
    private static void edges(float[] src, float[] dst, int c, int h, int w, float[] cols, float sinDy, float cosDy,
                              float cx, float cy, int out, int from, int to) {
        int planeSize = h * w;
        for (int x = from; x < to; x++) {
            float sx = cols[x] - sinDy + cx;
            float sy = cols[w + x] + cosDy + cy;
            int x0 = floor(sx);
            int y0 = floor(sy);
            float fx = sx - x0;
            float fy = sy - y0;
            for (int k = 0, plane = 0; k < c; k++, plane += planeSize) {
                float p00 = sample(src, plane, h, w, y0, x0);
                float p01 = sample(src, plane, h, w, y0, x0 + 1);
                float p10 = sample(src, plane, h, w, y0 + 1, x0);
                float p11 = sample(src, plane, h, w, y0 + 1, x0 + 1);
                float top = p00 + (p01 - p00) * fx;
                float bot = p10 + (p11 - p10) * fx;
                dst[plane + out + x] = top + (bot - top) * fy;
            }
        }
    }

    /** {@code (int) Math.floor(v)} for {@code |v| < 2^31} (source coordinates are within a few image sides). */
    private static int floor(float v) {
        int i = (int) v;
        return v < i ? i - 1 : i;
    }

    private static float sample(float[] src, int plane, int h, int w, int y, int x) {
        return (y < 0 || y >= h || x < 0 || x >= w) ? 0f : src[plane + y * w + x];
    }
}
