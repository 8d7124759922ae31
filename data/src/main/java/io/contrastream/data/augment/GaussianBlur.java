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
     * Blurs {@code a} in place ({@code tmp} is not needed and kept for the {@link Op} signature's sake).
     *
     * <p>Each output value is {@code sum_{i=-r..r} k[i + r] * in[clamp(p + i)]} accumulated in float from 0 in
     * increasing {@code i}, exactly as a per-pixel loop would. To let the JIT vectorise long loops, each plane is
     * first copied into rows padded with {@code r} copies of the edge values on both sides (so the horizontal pass
     * needs no clamping), and each pass then adds one kernel tap at a time over the whole padded plane; the padding
     * columns hold values that are never read back.
     */
    static void blur(float[] a, float[] tmp, int c, int h, int w, double sigma) {
        float[] k = kernel(sigma);
        int taps = k.length;
        int r = taps / 2;
        int pw = w + 2 * r;
        int size = h * pw;
        Scratch scratch = Scratch.get();
        float[] padded = scratch.plane(0, size);
        float[] across = scratch.plane(1, size);
        float[] down = scratch.plane(2, size);
        for (int ch = 0; ch < c; ch++) {
            int plane = ch * h * w;
            for (int y = 0; y < h; y++) {
                int in = plane + y * w;
                int row = y * pw;
                java.util.Arrays.fill(padded, row, row + r, a[in]);
                System.arraycopy(a, in, padded, row + r, w);
                java.util.Arrays.fill(padded, row + r + w, row + pw, a[in + w - 1]);
            }
            // horizontal: across[y * pw + x] = sum_t k[t] * padded[y * pw + x + t] for x < w
            int span = size - (taps - 1);
            java.util.Arrays.fill(across, 0, size, 0f);
            for (int t = 0; t < taps; t++) {
                float kk = k[t];
                for (int q = 0; q < span; q++) {
                    across[q] += kk * padded[q + t];
                }
            }
            // vertical: rows above 0 / below h - 1 read the edge row
            java.util.Arrays.fill(down, 0, size, 0f);
            for (int i = -r; i <= r; i++) {
                float kk = k[i + r];
                int lo = Math.min(h, Math.max(0, -i));
                int hi = Math.max(lo, Math.min(h, h - i));
                for (int y = 0; y < lo; y++) {
                    int out = y * pw;
                    for (int x = 0; x < w; x++) {
                        down[out + x] += kk * across[x];
                    }
                }
                int shift = i * pw;
                for (int q = lo * pw; q < hi * pw; q++) {
                    down[q] += kk * across[q + shift];
                }
                int last = (h - 1) * pw;
                for (int y = hi; y < h; y++) {
                    int out = y * pw;
                    for (int x = 0; x < w; x++) {
                        down[out + x] += kk * across[last + x];
                    }
                }
            }
            for (int y = 0; y < h; y++) {
                System.arraycopy(down, y * pw, a, plane + y * w, w);
            }
        }
    }
}
