package io.contrastream.data.augment;

import java.util.SplittableRandom;

/**
 * Brightness and contrast jitter: {@code v' = clamp((v - mean_c) * f + mean_c + b)} with {@code b} uniform in
 * {@code [-brightness, brightness]}, {@code f} uniform in {@code [1 - contrast, 1 + contrast]} and {@code mean_c}
 * the mean of channel {@code c}.
 */
final class BrightnessContrast implements Op {

    private final double brightness;
    private final double contrast;

    BrightnessContrast(double brightness, double contrast) {
        this.brightness = brightness;
        this.contrast = contrast;
    }

    @Override
    public boolean clampsOutput() {
        return true;
    }

    @Override
    public boolean apply(float[] src, float[] dst, int c, int h, int w, SplittableRandom rng) {
        float b = (float) Op.uniform(rng, -brightness, brightness);
        float f = (float) Op.uniform(rng, 1 - contrast, 1 + contrast);
        adjust(src, c, h * w, b, f);
        return false;
    }

    /** In place: {@code v' = clamp((v - mean) * factor + mean + delta)} per channel of {@code plane} values. */
    static void adjust(float[] a, int c, int plane, float delta, float factor) {
        for (int k = 0; k < c; k++) {
            int off = k * plane;
            float mean = 0f;
            if (factor != 1f) {
                double sum = 0;
                for (int i = 0; i < plane; i++) {
                    sum += a[off + i];
                }
                mean = (float) (sum / plane);
            }
            transform(a, off, plane, mean, delta, factor);
        }
    }

    /**
     * In place on {@code a[off .. off + plane)}: {@code v' = clamp((v - mean) * factor + mean + delta)}, in float, the
     * clamp keeping -0 and NaN.
     */
    static void transform(float[] a, int off, int plane, float mean, float delta, float factor) {
        if (canBeNegativeZero(mean, delta)) {
            for (int i = 0; i < plane; i++) {
                float v = (a[off + i] - mean) * factor + mean + delta;
                a[off + i] = v < 0f ? 0f : (v > 1f ? 1f : v);
            }
        } else {
            // Same values as the branchy clamp above (which keeps -0), and vectorisable: min/max differ from it
            // only for v == -0, and a float sum is -0 only when both addends are -0.
            for (int i = 0; i < plane; i++) {
                float v = (a[off + i] - mean) * factor + mean + delta;
                a[off + i] = Math.max(0f, Math.min(1f, v));
            }
        }
    }

    /** Whether {@code (x - mean) * f + mean + delta} can be -0: only when both {@code mean} and {@code delta} are. */
    private static boolean canBeNegativeZero(float mean, float delta) {
        return Float.floatToRawIntBits(mean) == Integer.MIN_VALUE && Float.floatToRawIntBits(delta) == Integer.MIN_VALUE;
    }
}
