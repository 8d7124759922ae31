package io.contrastream.data.augment;

import java.util.SplittableRandom;

/**
 * Brightness and contrast jitter: {@code v' = clamp((v - mean_c) * f + mean_c + b)} with {@code b} uniform in
 * {@code [-brightness, brightness]}, {@code f} uniform in {@code [1 - contrast, 1 + contrast]} and {@code mean_c}
 * the mean of channel {@code c}.
 */
final class BrightnessContrast implements Op {

    /** How a channel's mean is summed; {@code brightness_contrast} and its versions differ only in this. */
    @FunctionalInterface
    interface ChannelMean {
        /** The mean of {@code a[off .. off + plane)}. */
        float of(float[] a, int off, int plane);
    }

    private final double brightness;
    private final double contrast;
    private final ChannelMean mean;

    /** {@code brightness_contrast}: the mean summed serially in double ({@link #serialMean}). */
    BrightnessContrast(double brightness, double contrast) {
        this(brightness, contrast, BrightnessContrast::serialMean);
    }

    /** The same op with another summation of the channel mean (e.g. {@code brightness_contrast_v2}'s). */
    BrightnessContrast(double brightness, double contrast, ChannelMean mean) {
        this.brightness = brightness;
        this.contrast = contrast;
        this.mean = mean;
    }

    @Override
    public boolean clampsOutput() {
        return true;
    }

    @Override
    public boolean apply(float[] src, float[] dst, int c, int h, int w, SplittableRandom rng) {
        float b = (float) Op.uniform(rng, -brightness, brightness);
        float f = (float) Op.uniform(rng, 1 - contrast, 1 + contrast);
        adjust(src, c, h * w, b, f, mean);
        return false;
    }

    /** In place: {@code v' = clamp((v - mean) * factor + mean + delta)} per channel of {@code plane} values. */
    static void adjust(float[] a, int c, int plane, float delta, float factor) {
        adjust(a, c, plane, delta, factor, BrightnessContrast::serialMean);
    }

    /**
     * In place, per channel of {@code plane} values: {@code v' = clamp((v - m) * factor + m + delta)} with {@code m}
     * the channel's mean by {@code mean}, or 0 without summing when {@code factor == 1}.
     */
    static void adjust(float[] a, int c, int plane, float delta, float factor, ChannelMean mean) {
        for (int k = 0; k < c; k++) {
            int off = k * plane;
            float m = factor != 1f ? mean.of(a, off, plane) : 0f;
            transform(a, off, plane, m, delta, factor);
        }
    }

    /** The mean of {@code a[off .. off + plane)} summed in order in one double, then divided and rounded to float. */
    static float serialMean(float[] a, int off, int plane) {
        double sum = 0;
        for (int i = 0; i < plane; i++) {
            sum += a[off + i];
        }
        return (float) (sum / plane);
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
