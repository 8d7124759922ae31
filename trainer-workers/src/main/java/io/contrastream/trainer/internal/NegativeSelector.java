package io.contrastream.trainer.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Chooses {@code M} explicit negatives per batch row from a {@link NegativeCache}: first the row's mined candidates
 * (ANCE hard negatives) that are cached, in the mined order, then seeded-random cached samples, until {@code M}.
 * Every negative has a label other than the row's: that excludes the sample itself and its same-class neighbours
 * (which SupCon would count as positives, and which are false negatives for instance discrimination too), whether
 * mined or drawn. The {@code M} negatives of a row are distinct. If any row cannot get {@code M} (its label has
 * fewer than {@code M} cached samples of other labels, or it has no label), the batch gets no negatives at all.
 */
public final class NegativeSelector {
    private NegativeSelector() {
    }

    /** The outcome of {@link #select}. */
    public sealed interface Selection {
        /**
         * Negatives for every row: {@code pixels} holds {@code N*M*C*H*W} values, sample-major; {@code ids} the
         * chosen sample ids per row; {@code mined} and {@code filled} count the two kinds over the batch.
         */
        record Chosen(float[] pixels, List<List<String>> ids, int mined, int filled) implements Selection {
        }

        /** No negatives for this batch, and why. */
        record None(String reason) implements Selection {
        }
    }

    /**
     * @param labels     label per row ({@code null} when the batch is unlabelled)
     * @param rowIds     sample id per row, {@code null} entries for rows whose id is unknown (replayed rows)
     * @param mined      mined candidate ids per row (empty when none)
     * @param cache      samples to draw from
     * @param m          negatives per row, {@code >= 1}
     * @param sampleSize {@code C*H*W}
     * @param seed       seed of the fills (the same seed and state give the same negatives)
     */
    public static Selection select(long[] labels, List<String> rowIds, List<List<String>> mined, NegativeCache cache,
                                   int m, int sampleSize, long seed) {
        if (labels == null) {
            return new Selection.None("the batch has no labels");
        }
        int n = labels.length;
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0) {
                return new Selection.None("row " + i + " has no label");
            }
            int available = cache.countOtherThan(labels[i]);
            if (available < m) {
                return new Selection.None("the cache holds " + available + " samples of a label other than "
                        + labels[i] + ", fewer than " + m);
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[n * m * sampleSize];
        List<List<String>> ids = new ArrayList<>(n);
        int minedCount = 0;
        int filledCount = 0;
        for (int i = 0; i < n; i++) {
            long label = labels[i];
            String self = rowIds.get(i);
            List<String> chosen = new ArrayList<>(m);
            Set<String> taken = new HashSet<>();
            for (String candidate : mined.get(i)) {
                if (chosen.size() == m) {
                    break;
                }
                if (candidate.equals(self) || taken.contains(candidate)) {
                    continue;
                }
                NegativeCache.Cached cached = cache.get(candidate).orElse(null);
                if (cached == null || cached.label() == label) {
                    continue;
                }
                place(cached, pixels, (i * m + chosen.size()) * sampleSize, sampleSize);
                chosen.add(candidate);
                taken.add(candidate);
                minedCount++;
            }
            int count = cache.countOtherThan(label);
            while (chosen.size() < m) {
                int k = random.nextInt(count);
                NegativeCache.Cached cached = cache.otherThan(label, k);
                while (taken.contains(cached.sampleId())) {
                    k = (k + 1) % count;
                    cached = cache.otherThan(label, k);
                }
                place(cached, pixels, (i * m + chosen.size()) * sampleSize, sampleSize);
                chosen.add(cached.sampleId());
                taken.add(cached.sampleId());
                filledCount++;
            }
            ids.add(List.copyOf(chosen));
        }
        return new Selection.Chosen(pixels, List.copyOf(ids), minedCount, filledCount);
    }

    private static void place(NegativeCache.Cached cached, float[] pixels, int offset, int sampleSize) {
        System.arraycopy(cached.pixels(), 0, pixels, offset, sampleSize);
    }
}
