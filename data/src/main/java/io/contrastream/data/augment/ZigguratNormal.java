package io.contrastream.data.augment;

/**
 * Standard normal variates by the ziggurat method (Marsaglia and Tsang 2000, "The Ziggurat Method for Generating
 * Random Variables", J. Stat. Softw. 5(8)), 256 layers, on a SplitMix64 stream (Steele, Lea, Flood 2014). The draws
 * are a pure function of the seed, specified here so that another implementation can reproduce them bit-for-bit.
 *
 * <p>Stream: {@code s = seed}; each 64-bit word is {@code s += 0x9E3779B97F4A7C15} then the "mix64variant13" finalizer
 * of {@code s} ({@code z = (s ^ (s >>> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >>> 27)) * 0x94D049BB133111EB;
 * z ^ (z >>> 31)}), as {@code SplittableRandom.nextLong}.
 *
 * <p>Tables ({@code f(x) = exp(-x^2 / 2)}, all in double with {@link StrictMath}): {@code r = 3.6541528853610088},
 * {@code v = 4.92867323399e-3}, {@code X[0] = v / f(r)}, {@code X[1] = r},
 * {@code X[i + 1] = sqrt(-2 log(v / X[i] + f(X[i])))} for {@code i = 1..254}, {@code X[256] = 0};
 * {@code F[i] = f(X[i])}.
 *
 * <p>One variate from a 32-bit value {@code b}: layer {@code i = b & 255}, sign bit {@code b & 256}, {@code j = b >>> 9}
 * (23 bits), {@code x = j * (X[i] * 2^-23)}. If {@code x < X[i + 1]} the result is {@code -x} when the sign bit is set,
 * else {@code x}. Otherwise, for {@code i = 0} (the tail beyond {@code r}): repeat {@code a = -log(u1) / r},
 * {@code c = -log(u2)} until {@code 2c >= a^2}, result {@code ±(r + a)}; for {@code i > 0} (a wedge): with
 * {@code u} uniform, accept {@code ±x} when {@code F[i] + u (F[i + 1] - F[i]) < f(x)}. A rejected wedge starts over
 * with a fresh 32-bit value. Uniforms of the slow paths are {@code ((word >>> 11) + 1) * 2^-53} in (0, 1] of fresh
 * words, and a fresh 32-bit value is the low half of a fresh word. {@link #fill} draws one word per pair of variates:
 * variate {@code 2k} from its low half (any slow path drawing further words), then variate {@code 2k + 1} from its
 * high half; an odd last variate takes the low half of one more word.
 *
 * <p>About 1 % of variates take a slow path; the fast path is a multiply and a compare. Java 17's
 * {@code SplittableRandom.nextGaussian} is a ziggurat too (McFarland 2016), so the gain over it is in the surroundings:
 * half a 64-bit word per variate instead of one, a branch-free sign, and no per-call dispatch; about 1.3x per variate
 * alone, and about 2x for the noise op with its separate, vectorisable clamp.
 */
final class ZigguratNormal {

    private static final int LAYERS = 256;
    private static final double R = 3.6541528853610088;
    private static final double V = 4.92867323399e-3;
    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    private static final double TWO_POW_M23 = 0x1.0p-23;
    private static final double TWO_POW_M53 = 0x1.0p-53;

    /** Layer right edges, {@code X[0] = v / f(r)} (the base strip's virtual width) down to {@code X[256] = 0}. */
    private static final double[] X = new double[LAYERS + 1];
    /** {@code X[i] * 2^-23}: a 23-bit integer times this is a uniform point of layer i. */
    private static final double[] XS = new double[LAYERS];
    /** {@code f(X[i])}. */
    private static final double[] F = new double[LAYERS + 1];

    static {
        X[0] = V / f(R);
        X[1] = R;
        for (int i = 1; i < LAYERS - 1; i++) {
            X[i + 1] = StrictMath.sqrt(-2 * StrictMath.log(V / X[i] + f(X[i])));
        }
        X[LAYERS] = 0;
        for (int i = 0; i <= LAYERS; i++) {
            F[i] = f(X[i]);
        }
        for (int i = 0; i < LAYERS; i++) {
            XS[i] = X[i] * TWO_POW_M23;
        }
    }

    private long state;

    /** A generator whose draws depend only on {@code seed}. */
    ZigguratNormal(long seed) {
        this.state = seed;
    }

    private static double f(double x) {
        return StrictMath.exp(-0.5 * x * x);
    }

    /** The next word of the SplitMix64 stream. */
    long nextLong() {
        return mix(state += GAMMA);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Writes {@code n} standard normal variates (each rounded to float) into {@code out[0..n)}.
     *
     * <p>The stream position is kept in a local and written back around the (rare) slow paths, so the loop does not
     * carry a store and reload of {@link #state} per word.
     */
    void fill(float[] out, int n) {
        long s = state;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            long word = mix(s += GAMMA);
            int lo = (int) word;
            double x = (lo >>> 9) * XS[lo & (LAYERS - 1)];
            if (x < X[(lo & (LAYERS - 1)) + 1]) {
                out[i] = (float) withSign(x, lo);
            } else {
                state = s;
                out[i] = (float) slow(lo, lo & (LAYERS - 1), x);
                s = state;
            }
            int hi = (int) (word >>> 32);
            double y = (hi >>> 9) * XS[hi & (LAYERS - 1)];
            if (y < X[(hi & (LAYERS - 1)) + 1]) {
                out[i + 1] = (float) withSign(y, hi);
            } else {
                state = s;
                out[i + 1] = (float) slow(hi, hi & (LAYERS - 1), y);
                s = state;
            }
        }
        state = s;
        if (i < n) {
            out[i] = (float) fromBits((int) nextLong());
        }
    }

    /** One variate from the 32-bit value {@code b} (the fast path), drawing more only when it is rejected. */
    double fromBits(int b) {
        int layer = b & (LAYERS - 1);
        double x = (b >>> 9) * XS[layer];
        if (x < X[layer + 1]) {
            return withSign(x, b);
        }
        return slow(b, layer, x);
    }

    /** {@code -x} when bit 8 of {@code b} is set, else {@code x}; without a branch, as that bit is a coin flip. */
    private static double withSign(double x, int b) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(x) ^ ((long) (b & 0x100) << 55));
    }

    private double slow(int b, int layer, double x) {
        while (true) {
            if (layer == 0) {
                double a;
                double c;
                do {
                    a = -StrictMath.log(uniform()) / R;
                    c = -StrictMath.log(uniform());
                } while (c + c < a * a);
                return withSign(R + a, b);
            }
            if (F[layer] + uniform() * (F[layer + 1] - F[layer]) < f(x)) {
                return withSign(x, b);
            }
            b = (int) nextLong();
            layer = b & (LAYERS - 1);
            x = (b >>> 9) * XS[layer];
            if (x < X[layer + 1]) {
                return withSign(x, b);
            }
        }
    }

    /** Uniform in (0, 1] from a fresh word. */
    private double uniform() {
        return ((nextLong() >>> 11) + 1) * TWO_POW_M53;
    }
}
