package io.contrastream.data.augment;

import java.util.SplittableRandom;

/** One augmentation operating on CHW float buffers. */
interface Op {

    /**
     * Applies the augmentation to {@code src}.
     *
     * @return true if the result is in {@code dst}, false if it is in {@code src} (changed in place or untouched)
     */
    boolean apply(float[] src, float[] dst, int c, int h, int w, SplittableRandom rng);

    /** Clamps every value to [0, 1]. */
    static void clamp(float[] a) {
        for (int i = 0; i < a.length; i++) {
            float v = a[i];
            a[i] = v < 0f ? 0f : (v > 1f ? 1f : v);
        }
    }

    /** Uniform in [lo, hi). */
    static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo == hi ? lo : lo + (hi - lo) * rng.nextDouble();
    }
}
