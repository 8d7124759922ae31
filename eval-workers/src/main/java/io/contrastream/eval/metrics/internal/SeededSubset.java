package io.contrastream.eval.metrics.internal;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Seeded samples of indices without replacement, shared by the evaluation subsets and the query sample. */
public final class SeededSubset {
    private SeededSubset() {
    }

    /**
     * {@code min(n, size)} distinct indices of {@code [0, size)} chosen by a partial Fisher-Yates shuffle driven by
     * {@code new SplittableRandom(seed)}, in ascending order; all indices when {@code n >= size}.
     */
    public static int[] sorted(int size, int n, long seed) {
        int[] idx = new int[size];
        Arrays.setAll(idx, i -> i);
        if (n >= size) {
            return idx;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int j = i + rng.nextInt(size - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] out = Arrays.copyOf(idx, n);
        Arrays.sort(out);
        return out;
    }
}
