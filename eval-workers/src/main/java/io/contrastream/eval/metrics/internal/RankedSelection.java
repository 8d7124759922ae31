package io.contrastream.eval.metrics.internal;

import java.util.Arrays;

/**
 * Partial selection of the top-k gallery items of one similarity row, ranked by similarity descending and, on equal
 * similarity, by gallery index ascending (deterministic tie rule). Each candidate is packed into one {@code long}
 * whose natural order is that ranking, so selection is a primitive quickselect (expected O(n)) followed by a sort
 * of only the k winners. On long rows with k much smaller than the row, only the items at or above a sampled
 * threshold are packed and selected (an exact pre-filter, see {@link #threshold}). Reuses its buffer; one instance per thread.
 */
public final class RankedSelection {

    private static final int SAMPLE_STRIDE = 32;
    private static final int MIN_PREFILTER = 1024;

    private long[] keys = new long[0];
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
        if (m < kk) {
            m = 0;
            for (int j = 0; j < length; j++) {
                if (j != exclude) {
                    keys[m++] = key(sims[offset + j], j);
                }
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
     * {@value #SAMPLE_STRIDE}-th item. Only a guess: {@link #select} checks that at least k items reach it, which
     * guarantees the top k all do (the k-th best similarity is then &gt;= the threshold), and otherwise scans all.
     */
    private float threshold(float[] sims, int offset, int length, int kk) {
        int s = (length + SAMPLE_STRIDE - 1) / SAMPLE_STRIDE;
        if (sample.length < s) {
            sample = new float[s];
        }
        for (int i = 0; i < s; i++) {
            sample[i] = sims[offset + i * SAMPLE_STRIDE];
        }
        int rank = (int) Math.min(s, (long) kk * s * 3 / (2L * length) + 8);
        Arrays.sort(sample, 0, s);
        return sample[s - rank];
    }

    /** Packs every item with similarity &gt;= t (but not {@code exclude}) into keys; returns how many. */
    private int gatherAbove(float[] sims, int offset, int length, int exclude, float t) {
        long[] a = keys;
        int m = 0;
        for (int j = 0; j < length; j++) {
            float v = sims[offset + j];
            a[m] = key(v, j);
            m += v >= t && j != exclude ? 1 : 0;
        }
        return m;
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
