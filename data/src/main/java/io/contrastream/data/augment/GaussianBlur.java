package io.contrastream.data.augment;

import java.util.SplittableRandom;

/**
 * Gaussian blur with sigma uniform in {@code [sigmaMin, sigmaMax]}: a separable kernel of radius
 * {@code ceil(3 sigma)} (at least 1), weights {@code exp(-i^2 / (2 sigma^2))} normalised to sum 1, edges clamped.
 */
final class GaussianBlur implements Op {

    private final double sigmaMin;
    private final double sigmaMax;

    GaussianBlur(double sigmaMin, double sigmaMax) {
        this.sigmaMin = sigmaMin;
        this.sigmaMax = sigmaMax;
    }

    @Override
    public boolean apply(float[] src, float[] dst, int c, int h, int w, SplittableRandom rng) {
        blur(src, dst, c, h, w, Op.uniform(rng, sigmaMin, sigmaMax));
        return false;
    }

    /** The normalised 1-D kernel of {@code sigma}, length {@code 2 * radius + 1}. */
    static float[] kernel(double sigma) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        float[] k = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            double v = Math.exp(-(double) i * i / (2 * sigma * sigma));
            k[i + radius] = (float) v;
            sum += v;
        }
        for (int i = 0; i < k.length; i++) {
            k[i] = (float) (k[i] / sum);
        }
        return k;
    }

    /**
     * Blurs {@code a} in place using {@code tmp} as scratch (horizontal pass into tmp, vertical pass back).
     *
     * <p>Each output value is {@code sum_{i=-r..r} k[i + r] * in[clamp(p + i)]} accumulated in float from 0 in
     * increasing {@code i}, exactly as a per-pixel loop would; the loops run over whole rows per kernel tap (so the
     * JIT can vectorise them) and only the edge columns pay for clamping.
     */
    static void blur(float[] a, float[] tmp, int c, int h, int w, double sigma) {
        float[] k = kernel(sigma);
        int r = k.length / 2;
        int n = c * h * w;
        java.util.Arrays.fill(tmp, 0, n, 0f);
        for (int row = 0; row < c * h; row++) {
            int base = row * w;
            for (int i = -r; i <= r; i++) {
                float kk = k[i + r];
                // x + i < 0 -> column 0; x + i >= w -> column w - 1; otherwise column x + i
                int lo = Math.min(w, Math.max(0, -i));
                int hi = Math.max(lo, Math.min(w, w - i));
                float first = a[base];
                for (int x = 0; x < lo; x++) {
                    tmp[base + x] += kk * first;
                }
                int shifted = base + i;
                for (int x = lo; x < hi; x++) {
                    tmp[base + x] += kk * a[shifted + x];
                }
                float last = a[base + w - 1];
                for (int x = hi; x < w; x++) {
                    tmp[base + x] += kk * last;
                }
            }
        }
        java.util.Arrays.fill(a, 0, n, 0f);
        for (int ch = 0; ch < c; ch++) {
            int plane = ch * h * w;
            for (int y = 0; y < h; y++) {
                int out = plane + y * w;
                for (int i = -r; i <= r; i++) {
                    float kk = k[i + r];
                    int yy = y + i;
                    yy = yy < 0 ? 0 : (yy >= h ? h - 1 : yy);
                    int in = plane + yy * w;
                    for (int x = 0; x < w; x++) {
                        a[out + x] += kk * tmp[in + x];
                    }
                }
            }
        }
    }
}
