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

    /** Writes {@code src} rotated by {@code angle} radians (counter-clockwise on screen) then shifted by (tx, ty). */
    static void transform(float[] src, float[] dst, int c, int h, int w, double angle, double tx, double ty) {
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
                    float p00 = sample(src, plane, h, w, y0, x0);
                    float p01 = sample(src, plane, h, w, y0, x0 + 1);
                    float p10 = sample(src, plane, h, w, y0 + 1, x0);
                    float p11 = sample(src, plane, h, w, y0 + 1, x0 + 1);
                    float top = p00 + (p01 - p00) * fx;
                    float bot = p10 + (p11 - p10) * fx;
                    dst[plane + y * w + x] = top + (bot - top) * fy;
                }
            }
        }
    }

    private static float sample(float[] src, int plane, int h, int w, int y, int x) {
        return (y < 0 || y >= h || x < 0 || x >= w) ? 0f : src[plane + y * w + x];
    }
}
