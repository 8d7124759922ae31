package io.contrastream.data.augment;

import java.util.SplittableRandom;

/**
 * Additive noise from a seeded stream of standard-normal variates: draws one {@code nextLong()} of the pipeline's
 * generator as the stream's seed, writes the variates {@code z} into scratch ({@link #normals}), then sets every value
 * to {@code max(0, min(1, v + sigma * z_i))} in float (a -0 becomes +0, NaN stays NaN). The variates are drawn first
 * and the add-and-clamp runs as its own loop, which C2 vectorises. Subclasses differ only in how they draw the
 * variates, and each keeps its bytes: a recipe naming an op always recreates the same views.
 */
abstract class ClampedNoise implements Op {

    private final float sigma;

    ClampedNoise(double sigma) {
        this.sigma = (float) sigma;
    }

    /** Writes {@code n} variates of the stream seeded with {@code seed} into {@code z[0 .. n)}. */
    abstract void normals(long seed, float[] z, int n);

    @Override
    public final boolean clampsOutput() {
        return true;
    }

    @Override
    public final boolean apply(float[] src, float[] dst, int c, int h, int w, SplittableRandom rng) {
        int n = c * h * w;
        float[] z = Scratch.get().normals(n);
        normals(rng.nextLong(), z, n);
        float s = sigma;
        for (int i = 0; i < n; i++) {
            src[i] = Math.max(0f, Math.min(1f, src[i] + s * z[i]));
        }
        return false;
    }
}
