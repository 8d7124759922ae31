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
     * <p>The per-column products are computed once per call and the four neighbours are read without bounds checks
     * when they all lie inside the image; the float arithmetic per value is unchanged.
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
            for (int x = 0; x < w; x++) {
                float sx = cols[x] - sinDy + cx;
                float sy = cols[w + x] + cosDy + cy;
                int x0 = floor(sx);
                int y0 = floor(sy);
                float fx = sx - x0;
                float fy = sy - y0;
                if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h && c == 1) {
                    int i00 = y0 * w + x0;
                    float p00 = src[i00];
                    float p01 = src[i00 + 1];
                    float p10 = src[i00 + w];
                    float p11 = src[i00 + w + 1];
                    float top = p00 + (p01 - p00) * fx;
                    float bot = p10 + (p11 - p10) * fx;
                    dst[out + x] = top + (bot - top) * fy;
                } else if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h) {
                    int i00 = y0 * w + x0;
                    for (int k = 0, plane = 0; k < c; k++, plane += planeSize) {
                        float p00 = src[plane + i00];
                        float p01 = src[plane + i00 + 1];
                        float p10 = src[plane + i00 + w];
                        float p11 = src[plane + i00 + w + 1];
                        float top = p00 + (p01 - p00) * fx;
                        float bot = p10 + (p11 - p10) * fx;
                        dst[plane + out + x] = top + (bot - top) * fy;
                    }
                } else {
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
