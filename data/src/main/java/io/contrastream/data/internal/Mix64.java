package io.contrastream.data.internal;

/** The SplitMix64 finalizer (Steele, Lea, Flood 2014), used to derive well-mixed seeds. Internal. */
public final class Mix64 {

    /** The 64-bit golden-ratio increment of SplitMix64. */
    public static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private Mix64() {
    }

    /** {@code z += GOLDEN_GAMMA} then the SplitMix64 / MurmurHash3-style avalanche ("mix64variant13"). */
    public static long mix(long z) {
        z += GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Folds {@code value} into {@code state}: {@code mix(state ^ value)}. */
    public static long combine(long state, long value) {
        return mix(state ^ value);
    }
}
