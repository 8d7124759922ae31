package io.contrastream.data.augment;

import java.util.SplittableRandom;

/**
 * {@code gaussian_noise}: adds i.i.d. N(0, sigma^2) noise to every value (Java's {@code nextGaussian}), then clamps to
 * [0, 1]. Superseded by {@link GaussianNoiseV2} (same distribution, about twice as fast) and kept unchanged so that
 * views made with recipes naming {@code gaussian_noise} are recreated bit-for-bit.
 */
final class GaussianNoise implements Op {

    private final float sigma;

    GaussianNoise(double sigma) {
        this.sigma = (float) sigma;
    }

    @Override
    public boolean clampsOutput() {
        return true;
    }

    @Override
    public boolean apply(float[] src, float[] dst, int c, int h, int w, SplittableRandom rng) {
        int n = c * h * w;
        for (int i = 0; i < n; i++) {
            float v = src[i] + sigma * (float) rng.nextGaussian();
            src[i] = v < 0f ? 0f : (v > 1f ? 1f : v);
        }
        return false;
    }
}
