package io.contrastream.data.augment;

/**
 * {@code gaussian_noise_v2}: adds i.i.d. N(0, sigma^2) noise to every value, then clamps to [0, 1] with
 * {@code max(0, min(1, v))} (a -0 becomes +0). The same distribution as {@link GaussianNoise} ({@code gaussian_noise})
 * at about half its cost, but different bytes for a seed: the variates are {@link ZigguratNormal} draws seeded with
 * one {@code nextLong()} of the pipeline's generator, value {@code i} getting variate {@code i}, and each value is
 * {@code v + sigma * (float) z} in float. {@code gaussian_noise} stays as it was so that views made with recipes
 * naming it are recreated bit-for-bit.
 */
final class GaussianNoiseV2 extends ClampedNoise {

    GaussianNoiseV2(double sigma) {
        super(sigma);
    }

    @Override
    void normals(long seed, float[] z, int n) {
        new ZigguratNormal(seed).fill(z, n);
    }
}
