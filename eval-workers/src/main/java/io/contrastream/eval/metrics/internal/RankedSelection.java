package io.contrastream.eval.metrics.internal;

import java.util.Arrays;

/**
 * Partial selection of the top-k gallery items of one similarity row, ranked by similarity descending and, on equal
 * similarity, by gallery index ascending (deterministic tie rule). Each candidate is packed into one {@code long}
 * whose natural order is that ranking, so selection is a primitive quickselect (expected O(n)) followed by a sort
 * of only the k winners. On long rows with k much smaller than the row, only the items at or above a sampled
 * threshold are packed, in index order, and ordered by a stable radix sort on the score (an exact pre-filter, see
 * {@link #threshold}). Reuses its buffer; one instance per thread.
 */
public final class RankedSelection {

    private static final int SAMPLE_STRIDE = 32;
    private static final int MIN_PREFILTER = 1024;

    private static final int RADIX = 256;

    private long[] keys = new long[0];
    private long[] spare = new long[0];
    private float[] sample = new float[0];

    /**
     * Selects the top {@code k} of {@code sims[offset .. offset+length)}, skipping gallery index {@code exclude}
     * (pass -1 to keep all), and writes their gallery indices, best first, to {@code out}.
     *
     * @return the number of indices written: min(k, candidates)
     */
    public int select(float[] sims, int offset, int length, int exclude, int k, int[] out) {
        if (keys.length < length) {
            keys = new long[length];
        }
        int candidates = exclude >= 0 && exclude < length ? length - 1 : length;
        int kk = Math.min(k, candidates);
        if (kk <= 0) {
            return 0;
        }
        int m = kk * 4L < length && length >= MIN_PREFILTER ? gatherAbove(sims, offset, length, exclude,
                threshold(sims, offset, length, kk)) : -1;
        if (m >= kk) {
            radixSortByScore(m);
            for (int i = 0; i < kk; i++) {
                out[i] = (int) keys[i];
            }
            return kk;
        }
        m = 0;
        for (int j = 0; j < length; j++) {
            if (j != exclude) {
                keys[m++] = key(sims[offset + j], j);
            }
        }
        if (kk < m) {
            quickselect(keys, 0, m - 1, kk - 1);
        }
        Arrays.sort(keys, 0, kk);
        for (int i = 0; i < kk; i++) {
            out[i] = (int) keys[i];
        }
        return kk;
    }

    /**
     * A similarity that about 1.5 k + a margin of the row's items reach, estimated from every
     * stride of {@value #SAMPLE_STRIDE} items. Only a guess: {@link #select} checks that at least k items reach it, which
     * guarantees the top k all do (the k-th best similarity is then &gt;= the threshold), and otherwise scans all.
     */
    private float threshold(float[] sims, int offset, int length, int kk) {
        int s = (length + SAMPLE_STRIDE - 1) / SAMPLE_STRIDE;
        if (sample.length < s) {
            sample = new float[s];
        }
        for (int i = 0; i < s; i++) {
            // one item per stride at a scrambled position, so periodic label layouts do not bias the sample
            int j = i * SAMPLE_STRIDE + ((i * 0x9E3779B1) >>> 27);
            sample[i] = sims[offset + Math.min(j, length - 1)];
        }
        int rank = (int) Math.min(s, (long) kk * s * 3 / (2L * length) + 8);
        return rankthLargest(sample, s, rank);
    }

    /**
     * The {@code rank}-th largest of {@code a[0 .. s)} (duplicates counted), i.e. {@code a[s - rank]} after sorting
     * a[0 .. s) ascending, found by keeping the largest {@code rank} seen so far in descending order at the front
     * of {@code a}: most values fall below the current rank-th and cost one comparison (sorting all s cost more
     * than the rest of the selection on 10,000-item rows).
     */
    static float rankthLargest(float[] a, int s, int rank) {
        int kept = 0;
        for (int i = 0; i < s; i++) {
            float v = a[i];
            if (kept == rank) {
                if (!(v > a[rank - 1])) {
                    continue;
                }
                kept--;
            }
            int at = kept;
            while (at > 0 && a[at - 1] < v) {
                a[at] = a[at - 1];
                at--;
            }
            a[at] = v;
            kept++;
        }
        return a[rank - 1];
    }

    /** Packs every item with similarity &gt;= t (but not {@code exclude}) into keys; returns how many. */
    private int gatherAbove(float[] sims, int offset, int length, int exclude, float t) {
        long[] a = keys;
        int m = 0;
        for (int j = 0; j < length; j++) {
            float v = sims[offset + j];
            if (v >= t) {
                a[m++] = key(v, j);
            }
        }
        if (exclude >= 0 && exclude < length && sims[offset + exclude] >= t) {
            int at = 0;
            while ((int) a[at] != exclude) {
                at++;
            }
            System.arraycopy(a, at + 1, a, at, m - at - 1);
            m--;
        }
        return m;
    }

    /**
     * Sorts keys[0..m) ascending. They were packed in index order, so a stable LSD radix sort on the score half
     * (8-bit digits, passes whose digit is the same for all keys skipped) orders equal scores by index: the
     * result equals {@code Arrays.sort(keys, 0, m)}.
     */
    private void radixSortByScore(int m) {
        if (spare.length < m) {
            spare = new long[Math.max(m, keys.length)];
        }
        long[] from = keys;
        long[] to = spare;
        int[] count = new int[RADIX];
        for (int shift = 32; shift < 64; shift += 8) {
            java.util.Arrays.fill(count, 0);
            for (int i = 0; i < m; i++) {
                count[digit(from[i], shift)]++;
            }
            if (count[digit(from[0], shift)] == m) {
                continue;
            }
            int sum = 0;
            for (int b = 0; b < RADIX; b++) {
                int c = count[b];
                count[b] = sum;
                sum += c;
            }
            for (int i = 0; i < m; i++) {
                long k = from[i];
                to[count[digit(k, shift)]++] = k;
            }
            long[] t = from;
            from = to;
            to = t;
        }
        if (from != keys) {
            System.arraycopy(from, 0, keys, 0, m);
        }
    }

    /** The 8-bit digit at {@code shift} of the key's score half, read so that unsigned digit order is key order. */
    private static int digit(long key, int shift) {
        return (int) (((key ^ Long.MIN_VALUE) >>> shift) & (RADIX - 1));
    }

    /** Packs (similarity descending, index ascending) into a long whose ascending order is the ranking. */
    static long key(float similarity, int index) {
        int bits = Float.floatToIntBits(similarity + 0.0f);
        int ascending = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) ~ascending << 32) | (index & 0xffffffffL);
    }

    /** Rearranges a[lo..hi] so a[kth] holds the value it would have after sorting, smaller ones before it. */
    private static void quickselect(long[] a, int lo, int hi, int kth) {
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < a[lo]) {
                swap(a, mid, lo);
            }
            if (a[hi] < a[lo]) {
                swap(a, hi, lo);
            }
            if (a[hi] < a[mid]) {
                swap(a, hi, mid);
            }
            long pivot = a[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(a, i, j);
                    i++;
                    j--;
                }
            }
            if (kth <= j) {
                hi = j;
            } else if (kth >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    private static void swap(long[] a, int i, int j) {
        long t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
