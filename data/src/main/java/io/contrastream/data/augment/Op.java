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

    /**
     * Whether every value this op leaves behind is already clamped to [0, 1] (so a following {@link #clamp} would
     * change nothing), whatever its input.
     */
    default boolean clampsOutput() {
        return false;
    }

    /** Whether this op keeps values that were clamped to [0, 1] clamped (it only moves values or writes [0, 1]). */
    default boolean preservesClamped() {
        return false;
    }

    /** Clamps every value to [0, 1]. */
    static void clamp(float[] a) {
        for (int i = 0; i < a.length; i++) {
            float v = a[i];
            a[i] = v < 0f ? 0f : (v > 1f ? 1f : v);
        }
    }

    /** Writes the first {@code n} values of {@code src} clamped to [0, 1] into {@code dst}. */
    static void clamp(float[] src, float[] dst, int n) {
        for (int i = 0; i < n; i++) {
            float v = src[i];
            dst[i] = v < 0f ? 0f : (v > 1f ? 1f : v);
        }
    }

    /** Uniform in [lo, hi). */
    static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo == hi ? lo : lo + (hi - lo) * rng.nextDouble();
    }
}
