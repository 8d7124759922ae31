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

    /** Blurs {@code a} in place using {@code tmp} as scratch (horizontal pass into tmp, vertical pass back). */
    static void blur(float[] a, float[] tmp, int c, int h, int w, double sigma) {
        float[] k = kernel(sigma);
        int r = k.length / 2;
        for (int row = 0; row < c * h; row++) {
            int base = row * w;
            for (int x = 0; x < w; x++) {
                float s = 0f;
                for (int i = -r; i <= r; i++) {
                    int xx = x + i;
                    xx = xx < 0 ? 0 : (xx >= w ? w - 1 : xx);
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
                        int yy = y + i;
                        yy = yy < 0 ? 0 : (yy >= h ? h - 1 : yy);
                        s += k[i + r] * tmp[plane + yy * w + x];
                    }
                    a[plane + y * w + x] = s;
                }
            }
        }
    }
}
