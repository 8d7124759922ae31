package io.contrastream.model.replay.internal;

import java.util.random.RandomGenerator;

/**
 * SplitMix64 (Steele, Lea and Flood 2014, "Fast Splittable Pseudorandom Number Generators") with its whole state in
 * one {@code long}, so a replay buffer can save and restore its generator exactly ({@link java.util.SplittableRandom}
 * hides its state).
 *
 * <pre>
 *   next():  state += 0x9E3779B97F4A7C15
 *            z = state
 *            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9
 *            z = (z ^ (z >>> 27)) * 0x94D049BB133111EB
 *            return z ^ (z >>> 31)
 * </pre>
 * Bounded draws use rejection on the top bits (no modulo bias, see {@link #nextLong(long)}), written here rather
 * than inherited from {@link RandomGenerator}'s defaults so the sequence is fixed by this file, not by the JDK.
 * Not thread-safe.
 */
public final class SplitMix64 implements RandomGenerator {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    /** A generator whose state is {@code state} (use {@link #mix(long)} of a user seed for a well-spread start). */
    public SplitMix64(long state) {
        this.state = state;
    }

    /** The SplitMix64 finalizer of {@code z + golden gamma}: a seed hash. */
    public static long mix(long z) {
        z += GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The full state; {@code new SplitMix64(g.state())} continues the same sequence. */
    public long state() {
        return state;
    }

    @Override
    public long nextLong() {
        long z = state += GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public int nextInt() {
        return (int) (nextLong() >>> 32);
    }

    /** Uniform in {@code [0, bound)}: rejection sampling on 63-bit draws, as {@code java.util.Random#nextInt}. */
    @Override
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long u = nextLong() >>> 1;
        long r;
        while (u - (r = u % bound) + (bound - 1) < 0) {
            u = nextLong() >>> 1;
        }
        return r;
    }

    /** Uniform in {@code [0, bound)}. */
    @Override
    public int nextInt(int bound) {
        return (int) nextLong(bound);
    }

    /** Uniform in {@code [0, 1)} from the top 53 bits. */
    @Override
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }
}
