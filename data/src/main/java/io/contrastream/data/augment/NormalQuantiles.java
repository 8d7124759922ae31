package io.contrastream.data.augment;

/**
 * Quantiles of the standard normal distribution, computed with strict double arithmetic only (Java 17 double
 * arithmetic is strict, and {@link StrictMath#exp} and {@link StrictMath#sqrt} are fully specified), so every JVM
 * computes the same bits.
 *
 * <p>For {@code p > 1/2}, {@code x = Phi^-1(p)} solves {@code phi(x) S(x) = p - 1/2}, where {@code phi} is the normal
 * density and {@code S(x) = sum_k x^(2k+1) / (1 * 3 * ... * (2k+1))} (all terms positive for {@code x >= 0}, so the
 * sum has no cancellation), by Newton's method: {@code x' = x - S(x) + (p - 1/2) / phi(x)}. As {@code Phi} is
 * concave on {@code x >= 0}, iterates started left of the root stay left of it and increase to it. Accurate to about
 * {@code 1e-12} for {@code p <= 1 - 1e-7}, far finer than the float tables built from it.
 */
final class NormalQuantiles {

    private static final double INV_SQRT_2PI = 1 / StrictMath.sqrt(2 * Math.PI);

    private NormalQuantiles() {
    }

    /**
     * The table {@code T[i] = (float) Phi^-1((i + 1/2) / n)}, {@code i = 0..n-1}, for an even {@code n >= 2}: increasing
     * and exactly antisymmetric ({@code T[n - 1 - i] = -T[i]}, the lower half being the negated upper half).
     */
    static float[] table(int n) {
        if (n < 2 || n % 2 != 0) {
            throw new IllegalArgumentException("Quantile table size must be even and at least 2, got " + n);
        }
        float[] t = new float[n];
        double x = 0;
        for (int i = n / 2; i < n; i++) {
            // p - 1/2 = (i + 1/2 - n/2) / n, exact for the sizes used (powers of two)
            x = upper((i + 0.5 - n / 2) / n, x);
            t[i] = (float) x;
            t[n - 1 - i] = -t[i];
        }
        return t;
    }

    /** {@code Phi^-1(p)} for {@code p} in {@code (0, 1)}. */
    static double quantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("Normal quantile needs p in (0, 1), got " + p);
        }
        return p >= 0.5 ? upper(p - 0.5, 0) : -upper(0.5 - p, 0);
    }

    /** The {@code x >= 0} with {@code Phi(x) - 1/2 = d}, Newton from {@code start} (at most the root, e.g. 0). */
    private static double upper(double d, double start) {
        double x = start;
        for (int it = 0; it < 200; it++) {
            double next = x - series(x) + d / (INV_SQRT_2PI * StrictMath.exp(-0.5 * x * x));
            if (!(next > x)) {
                return x;
            }
            x = next;
        }
        return x;
    }

    /** {@code S(x)} for {@code x >= 0}, summed until a term no longer changes the sum. */
    private static double series(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int k = 1; k < 10_000; k++) {
            term = term * x2 / (2 * k + 1);
            double next = sum + term;
            if (next == sum) {
                break;
            }
            sum = next;
        }
        return sum;
    }
}
