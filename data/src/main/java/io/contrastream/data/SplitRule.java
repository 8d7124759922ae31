package io.contrastream.data;

import io.contrastream.data.internal.Mix64;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How an import divides each class into train and test. The members of the test split of class {@code k} are the
 * first {@code testCounts()[k]} positions of a Fisher-Yates shuffle of {@code 0..n_k-1} driven by
 * {@code new SplittableRandom(Mix64.combine(Mix64.mix(seed), k))}.
 */
public sealed interface SplitRule {

    /** Number of test images for each class given the class sizes. */
    int[] testCounts(int[] classCounts);

    /** Seed of the per-class shuffles. */
    long seed();

    /** Description recorded in the manifest. */
    Map<String, Object> describe();

    /**
     * A fixed number of test images per class.
     *
     * @param testPerClass test images per class
     * @param seed         shuffle seed
     */
    record FixedPerClass(int testPerClass, long seed) implements SplitRule {
        /** Validates. */
        public FixedPerClass {
            if (testPerClass < 0) {
                throw new IllegalArgumentException("FixedPerClass testPerClass must be >= 0, got " + testPerClass);
            }
        }

        @Override
        public int[] testCounts(int[] classCounts) {
            int[] out = new int[classCounts.length];
            for (int k = 0; k < out.length; k++) {
                if (classCounts[k] < testPerClass) {
                    throw new IllegalArgumentException("Class " + k + " has " + classCounts[k]
                            + " images, fewer than the " + testPerClass + " test images per class");
                }
                out[k] = testPerClass;
            }
            return out;
        }

        @Override
        public Map<String, Object> describe() {
            return Map.of("rule", "fixed-per-class-seeded-shuffle", "testPerClass", testPerClass, "seed", seed);
        }
    }

    /**
     * A fixed total of test images, stratified by class: class {@code k} gets {@code floor(total * n_k / N)} and the
     * remaining images go one each to the classes with the largest fractional parts (ties to the lower class id).
     *
     * @param testTotal total test images
     * @param seed      shuffle seed
     */
    record StratifiedTotal(int testTotal, long seed) implements SplitRule {
        /** Validates. */
        public StratifiedTotal {
            if (testTotal < 0) {
                throw new IllegalArgumentException("StratifiedTotal testTotal must be >= 0, got " + testTotal);
            }
        }

        @Override
        public int[] testCounts(int[] classCounts) {
            long n = 0;
            for (int c : classCounts) {
                n += c;
            }
            if (testTotal > n) {
                throw new IllegalArgumentException("StratifiedTotal testTotal " + testTotal + " exceeds " + n + " images");
            }
            int[] out = new int[classCounts.length];
            long[] rem = new long[classCounts.length];
            int assigned = 0;
            for (int k = 0; k < out.length; k++) {
                long num = (long) testTotal * classCounts[k];
                out[k] = (int) (num / n);
                rem[k] = num % n;
                assigned += out[k];
            }
            while (assigned < testTotal) {
                int best = -1;
                for (int k = 0; k < out.length; k++) {
                    if (rem[k] >= 0 && out[k] < classCounts[k] && (best < 0 || rem[k] > rem[best])) {
                        best = k;
                    }
                }
                out[best]++;
                rem[best] = -1;
                assigned++;
            }
            return out;
        }

        @Override
        public Map<String, Object> describe() {
            return Map.of("rule", "stratified-total-seeded-shuffle", "testTotal", testTotal, "seed", seed);
        }
    }

    /** Test-membership mask of class {@code k} with {@code count} images of which {@code testCount} are test. */
    static boolean[] testMask(long seed, int k, int count, int testCount) {
        int[] perm = new int[count];
        for (int i = 0; i < count; i++) {
            perm[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(Mix64.combine(Mix64.mix(seed), k));
        for (int i = count - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        boolean[] test = new boolean[count];
        for (int i = 0; i < testCount; i++) {
            test[perm[i]] = true;
        }
        return test;
    }
}
