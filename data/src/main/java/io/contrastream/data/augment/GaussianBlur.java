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
        switch (k.length) {
            case 3 -> blurRadius1(a, c, h, w, k);
            case 5 -> blurRadius2(a, c, h, w, k);
            case 7 -> blurRadius3(a, c, h, w, k);
            default -> blurWide(a, c, h, w, k);
        }
    }

    // Kernels of radius 1 to 3 (sigma up to 1): the plane is padded by r edge copies on all four sides (so neither
    // pass needs clamping and both run as one long, vectorisable loop over the padded layout; the padding rows of the
    // horizontal pass are copies of the edge rows it would otherwise re-read), and each pass writes every output once
    // with all its taps summed in one expression (0f + k0 * p0 + k1 * p1 + ..., evaluated left to right, so the same
    // float operations in the same order as the tap-at-a-time accumulation): no clearing of accumulators and no
    // read-modify-write per tap. Each tap's operand comes from a copy of the pass's input shifted by the tap's offset,
    // because Java 17's JIT does not vectorise a loop that reads one array at several offsets (measured: that loop
    // ran at scalar speed, about 2x slower for this op overall).
    //
    // One method per radius and one per tap-sum loop shape, so that the JIT compiles each separately: with all radii
    // in one method it was a 40-60 kB compilation of 0.3-0.9 s of C2 time, repeated for each of its loops' on-stack
    // replacements and after a deoptimisation (11 compilations, 2.8 s of a core, in one 30-second producer benchmark
    // on 2 cores).

    /** {@link #blur} for kernels of radius 1. */
    private static void blurRadius1(float[] a, int c, int h, int w, float[] k) {
        int pw = w + 2;
        int size = (h + 2) * pw;
        Scratch scratch = Scratch.get();
        float[] padded = scratch.plane(0, size);
        float[] across = scratch.plane(1, size);
        float[] down = scratch.plane(2, size);
        float[] s1 = scratch.shifted(0, size);
        float[] s2 = scratch.shifted(1, size);
        // horizontal: across[j * pw + x] = sum_t k[t] * padded[j * pw + x + t] for x < w
        int span = size - 2;
        // vertical: down[y * pw + x] = sum_t k[t] * across[(y + t) * pw + x]
        int outSpan = h * pw;
        for (int ch = 0; ch < c; ch++) {
            int plane = ch * h * w;
            pad(a, plane, h, w, 1, padded, pw);
            System.arraycopy(padded, 1, s1, 0, span);
            System.arraycopy(padded, 2, s2, 0, span);
            taps3(across, padded, s1, s2, span, k[0], k[1], k[2]);
            System.arraycopy(across, pw, s1, 0, outSpan);
            System.arraycopy(across, 2 * pw, s2, 0, outSpan);
            taps3(down, across, s1, s2, outSpan, k[0], k[1], k[2]);
            unpad(down, a, plane, h, w, pw);
        }
    }

    /** {@link #blur} for kernels of radius 2. */
    private static void blurRadius2(float[] a, int c, int h, int w, float[] k) {
        int pw = w + 4;
        int size = (h + 4) * pw;
        Scratch scratch = Scratch.get();
        float[] padded = scratch.plane(0, size);
        float[] across = scratch.plane(1, size);
        float[] down = scratch.plane(2, size);
        float[] s1 = scratch.shifted(0, size);
        float[] s2 = scratch.shifted(1, size);
        float[] s3 = scratch.shifted(2, size);
        float[] s4 = scratch.shifted(3, size);
        int span = size - 4;
        int outSpan = h * pw;
        for (int ch = 0; ch < c; ch++) {
            int plane = ch * h * w;
            pad(a, plane, h, w, 2, padded, pw);
            System.arraycopy(padded, 1, s1, 0, span);
            System.arraycopy(padded, 2, s2, 0, span);
            System.arraycopy(padded, 3, s3, 0, span);
            System.arraycopy(padded, 4, s4, 0, span);
            taps5(across, padded, s1, s2, s3, s4, span, k[0], k[1], k[2], k[3], k[4]);
            System.arraycopy(across, pw, s1, 0, outSpan);
            System.arraycopy(across, 2 * pw, s2, 0, outSpan);
            System.arraycopy(across, 3 * pw, s3, 0, outSpan);
            System.arraycopy(across, 4 * pw, s4, 0, outSpan);
            taps5(down, across, s1, s2, s3, s4, outSpan, k[0], k[1], k[2], k[3], k[4]);
            unpad(down, a, plane, h, w, pw);
        }
    }

    /** {@link #blur} for kernels of radius 3. */
    private static void blurRadius3(float[] a, int c, int h, int w, float[] k) {
        int pw = w + 6;
        int size = (h + 6) * pw;
        Scratch scratch = Scratch.get();
        float[] padded = scratch.plane(0, size);
        float[] across = scratch.plane(1, size);
        float[] down = scratch.plane(2, size);
        float[] s1 = scratch.shifted(0, size);
        float[] s2 = scratch.shifted(1, size);
        float[] s3 = scratch.shifted(2, size);
        float[] s4 = scratch.shifted(3, size);
        float[] s5 = scratch.shifted(4, size);
        float[] s6 = scratch.shifted(5, size);
        int span = size - 6;
        int outSpan = h * pw;
        for (int ch = 0; ch < c; ch++) {
            int plane = ch * h * w;
            pad(a, plane, h, w, 3, padded, pw);
            System.arraycopy(padded, 1, s1, 0, span);
            System.arraycopy(padded, 2, s2, 0, span);
            System.arraycopy(padded, 3, s3, 0, span);
            System.arraycopy(padded, 4, s4, 0, span);
            System.arraycopy(padded, 5, s5, 0, span);
            System.arraycopy(padded, 6, s6, 0, span);
            // in two loops of at most five inputs (the JIT does not vectorise the one with seven); the partial sum is
            // a float either way, so the additions are the same
            taps4(across, padded, s1, s2, s3, span, k[0], k[1], k[2], k[3]);
            addTaps3(across, s4, s5, s6, span, k[4], k[5], k[6]);
            System.arraycopy(across, pw, s1, 0, outSpan);
            System.arraycopy(across, 2 * pw, s2, 0, outSpan);
            System.arraycopy(across, 3 * pw, s3, 0, outSpan);
            System.arraycopy(across, 4 * pw, s4, 0, outSpan);
            System.arraycopy(across, 5 * pw, s5, 0, outSpan);
            System.arraycopy(across, 6 * pw, s6, 0, outSpan);
            taps4(down, across, s1, s2, s3, outSpan, k[0], k[1], k[2], k[3]);
            addTaps3(down, s4, s5, s6, outSpan, k[4], k[5], k[6]);
            unpad(down, a, plane, h, w, pw);
        }
    }

    /**
     * Copies plane {@code plane} of {@code a} into {@code padded} (rows of {@code pw = w + 2r}): padded row {@code j}
     * holds input row {@code clamp(j - r, 0, h - 1)}, itself padded with {@code r} copies of its edge values.
     */
    private static void pad(float[] a, int plane, int h, int w, int r, float[] padded, int pw) {
        for (int y = 0; y < h; y++) {
            int in = plane + y * w;
            int row = (y + r) * pw;
            float first = a[in];
            float last = a[in + w - 1];
            for (int i = 0; i < r; i++) {
                padded[row + i] = first;
                padded[row + r + w + i] = last;
            }
            System.arraycopy(a, in, padded, row + r, w);
        }
        for (int j = 0; j < r; j++) {
            System.arraycopy(padded, r * pw, padded, j * pw, pw);
            System.arraycopy(padded, (r + h - 1) * pw, padded, (r + h + j) * pw, pw);
        }
    }

    /** Copies the first {@code w} values of each of the {@code h} rows of {@code down} into plane {@code plane}. */
    private static void unpad(float[] down, float[] a, int plane, int h, int w, int pw) {
        for (int y = 0; y < h; y++) {
            System.arraycopy(down, y * pw, a, plane + y * w, w);
        }
    }

    /** {@code out[q] = 0f + k0 * a[q] + k1 * b[q] + k2 * c[q]} for {@code q < n}. */
    private static void taps3(float[] out, float[] a, float[] b, float[] c, int n, float k0, float k1, float k2) {
        for (int q = 0; q < n; q++) {
            out[q] = 0f + k0 * a[q] + k1 * b[q] + k2 * c[q];
        }
    }

    /** {@code out[q] = 0f + k0 * a[q] + ... + k3 * d[q]} for {@code q < n}. */
    private static void taps4(float[] out, float[] a, float[] b, float[] c, float[] d, int n, float k0, float k1,
                              float k2, float k3) {
        for (int q = 0; q < n; q++) {
            out[q] = 0f + k0 * a[q] + k1 * b[q] + k2 * c[q] + k3 * d[q];
        }
    }

    /** {@code out[q] = 0f + k0 * a[q] + ... + k4 * e[q]} for {@code q < n}. */
    private static void taps5(float[] out, float[] a, float[] b, float[] c, float[] d, float[] e, int n, float k0,
                              float k1, float k2, float k3, float k4) {
        for (int q = 0; q < n; q++) {
            out[q] = 0f + k0 * a[q] + k1 * b[q] + k2 * c[q] + k3 * d[q] + k4 * e[q];
        }
    }

    /** {@code out[q] = out[q] + k0 * a[q] + k1 * b[q] + k2 * c[q]} for {@code q < n}. */
    private static void addTaps3(float[] out, float[] a, float[] b, float[] c, int n, float k0, float k1, float k2) {
        for (int q = 0; q < n; q++) {
            out[q] = out[q] + k0 * a[q] + k1 * b[q] + k2 * c[q];
        }
    }

    /** {@link #blur} for kernels of radius 4 and more: one kernel tap at a time over the whole padded plane. */
    private static void blurWide(float[] a, int c, int h, int w, float[] k) {
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
