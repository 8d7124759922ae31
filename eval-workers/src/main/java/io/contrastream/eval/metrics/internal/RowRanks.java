package io.contrastream.eval.metrics.internal;

import java.util.Arrays;

/**
 * Everything the per-query metrics need from one similarity row, in expected linear time and without sorting the
 * row: with the gallery split into positives (items of the query's class) and negatives, it gives
 *
 * <ul>
 *   <li>the exact Mann-Whitney U of positives vs negatives (ties count one half), hence the per-query AUC;</li>
 *   <li>the rank of every positive in the retrieval order (similarity descending, then gallery index ascending),
 *       hence the rank of the first relevant item (Recall@K, MRR) and the precision sum of mAP@R, added in rank
 *       order exactly as a walk down the sorted list does.</li>
 * </ul>
 *
 * <p>How: every item goes into one of about n / 2 buckets by a monotone function of its similarity over
 * [min, max] (a higher bucket means a strictly higher similarity), and suffix counts of positives and negatives per
 * bucket give, for each positive, how many items of each kind rank above it in other buckets. Only items sharing a
 * positive's bucket (about two on average) are compared with it exactly. A positive's rank is then
 * {@code 1 + positives above + negatives above}, where "above" means a higher similarity, or an equal similarity
 * and a lower gallery index; its U term is {@code negatives below + negatives equal / 2}. U is a sum of
 * half-integers and is kept as an exact integer count of halves, so it is identical to sorting both sets and
 * merging. Reuses its buffers; one instance per thread.
 */
public final class RowRanks {

    /** Buckets at or below this size compare their members pairwise; larger ones are sorted first. */
    private static final int PAIRWISE = 24;

    private int[] bucketOf = new int[0];
    private int[] counts = new int[0];
    private int[] posAbove = new int[0];
    private int[] negAbove = new int[0];
    private int[] start = new int[0];
    private int[] members = new int[0];
    private long[] sortKeys = new long[0];
    private double[] precisionByFound = new double[0];

    private int positives;
    private int negatives;
    private long twiceU;
    private int firstRank;
    private int positivesInTopR;

    /**
     * Ranks {@code sims[offset .. offset + length)} against gallery classes {@code galleryClass}: item j is a
     * positive when {@code galleryClass[j] == queryClass}. Item {@code exclude} (or none when -1) is left out.
     */
    public void rank(float[] sims, int offset, int length, int exclude, int[] galleryClass, int queryClass) {
        ensure(length);
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < length; j++) {
            float v = sims[offset + j];
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        int buckets = Math.max(16, length >> 1);
        float scale = max > min ? (float) (buckets / ((double) max - min)) : 0f;
        int[] cnt = counts;
        // a plain loop rather than Arrays.fill: see SimilarityScan#kernel on inlined JDK helpers and C2
        for (int b = 0; b < 2 * buckets; b++) {
            cnt[b] = 0;
        }
        int[] of = bucketOf;
        for (int j = 0; j < length; j++) {
            int b = Math.min(buckets - 1, (int) ((sims[offset + j] - min) * scale));
            of[j] = b;
            // counts[2b] positives, counts[2b + 1] negatives
            cnt[2 * b + (galleryClass[j] == queryClass ? 0 : 1)]++;
        }
        if (exclude >= 0 && exclude < length) {
            cnt[2 * of[exclude] + (galleryClass[exclude] == queryClass ? 0 : 1)]--;
        }
        int p = 0;
        int n = 0;
        int total = 0;
        for (int b = buckets - 1; b >= 0; b--) {
            posAbove[b] = p;
            negAbove[b] = n;
            p += cnt[2 * b];
            n += cnt[2 * b + 1];
        }
        positives = p;
        negatives = n;
        twiceU = 0;
        firstRank = 0;
        positivesInTopR = 0;
        if (p == 0) {
            return;
        }
        for (int b = 0; b < buckets; b++) {
            start[b] = total;
            total += cnt[2 * b] + cnt[2 * b + 1];
        }
        int[] mem = members;
        for (int j = 0; j < length; j++) {
            if (j != exclude) {
                mem[start[of[j]]++] = j;
            }
        }
        // start[b] now ends bucket b; each bucket's members are in ascending gallery index
        for (int b = buckets - 1; b >= 0; b--) {
            int cp = cnt[2 * b];
            if (cp == 0) {
                continue;
            }
            int size = cp + cnt[2 * b + 1];
            int end = start[b];
            int from = end - size;
            if (size <= PAIRWISE) {
                pairwise(sims, offset, galleryClass, queryClass, from, end, posAbove[b], negAbove[b]);
            } else {
                sorted(sims, offset, galleryClass, queryClass, from, end, posAbove[b], negAbove[b]);
            }
        }
    }

    private void pairwise(float[] sims, int offset, int[] galleryClass, int c, int from, int end, int posAboveBucket,
                          int negAboveBucket) {
        int[] mem = members;
        for (int a = from; a < end; a++) {
            int i = mem[a];
            if (galleryClass[i] != c) {
                continue;
            }
            float v = sims[offset + i];
            int posAboveHere = 0;
            int negGreater = 0;
            int negEqual = 0;
            int negEqualBefore = 0;
            for (int t = from; t < end; t++) {
                int o = mem[t];
                float w = sims[offset + o];
                if (galleryClass[o] == c) {
                    if (w > v || (w == v && o < i)) {
                        posAboveHere++;
                    }
                } else if (w > v) {
                    negGreater++;
                } else if (w == v) {
                    negEqual++;
                    if (o < i) {
                        negEqualBefore++;
                    }
                }
            }
            positive(posAboveBucket + posAboveHere, negAboveBucket + negGreater, negEqual, negEqualBefore);
        }
    }

    /** Sorts the bucket's members by (similarity descending, index ascending), then sweeps runs of equal scores. */
    private void sorted(float[] sims, int offset, int[] galleryClass, int c, int from, int end, int posAboveBucket,
                        int negAboveBucket) {
        int size = end - from;
        long[] keys = sortKeys;
        for (int t = 0; t < size; t++) {
            int o = members[from + t];
            keys[t] = RankedSelection.key(sims[offset + o], o);
        }
        Arrays.sort(keys, 0, size);
        int posSeen = 0;
        int negSeen = 0;
        int t = 0;
        while (t < size) {
            float v = sims[offset + (int) keys[t]];
            int runEnd = t;
            int negInRun = 0;
            while (runEnd < size && sims[offset + (int) keys[runEnd]] == v) {
                if (galleryClass[(int) keys[runEnd]] != c) {
                    negInRun++;
                }
                runEnd++;
            }
            int negBeforeInRun = 0;
            for (int r = t; r < runEnd; r++) {
                if (galleryClass[(int) keys[r]] == c) {
                    positive(posAboveBucket + posSeen, negAboveBucket + negSeen, negInRun, negBeforeInRun);
                    posSeen++;
                } else {
                    negBeforeInRun++;
                }
            }
            negSeen += negInRun;
            t = runEnd;
        }
    }

    /**
     * One positive: {@code posAbove} positives and {@code negGreater} negatives with a higher similarity rank above
     * it, plus the {@code negEqualBefore} of its {@code negEqual} equal-similarity negatives with a lower index.
     */
    private void positive(int posAbove, int negGreater, int negEqual, int negEqualBefore) {
        twiceU += 2L * (negatives - negGreater - negEqual) + negEqual;
        int found = posAbove + 1;
        int rank = found + negGreater + negEqualBefore;
        if (firstRank == 0 || rank < firstRank) {
            firstRank = rank;
        }
        if (rank <= positives) {
            precisionByFound[found - 1] = (double) found / rank;
            positivesInTopR++;
        } else {
            precisionByFound[found - 1] = 0;
        }
    }

    /** Positives (items of the query's class, not excluded) of the last row. */
    public int positives() {
        return positives;
    }

    /** Negatives of the last row. */
    public int negatives() {
        return negatives;
    }

    /** The last row's exact Mann-Whitney U, positives vs negatives (ties one half). */
    public double mannWhitneyU() {
        return twiceU / 2.0;
    }

    /** 1-based rank of the last row's first positive in the retrieval order; 0 when it has no positive. */
    public int firstRank() {
        return firstRank;
    }

    /**
     * Sum over the positives within the top R = {@link #positives()} ranks of (positives up to its rank) / rank,
     * added in rank order (the numerator of AP@R).
     */
    public double precisionSumAtR() {
        double sum = 0;
        for (int f = 0; f < positivesInTopR; f++) {
            sum += precisionByFound[f];
        }
        return sum;
    }

    private void ensure(int length) {
        if (bucketOf.length < length) {
            int buckets = Math.max(16, length >> 1);
            bucketOf = new int[length];
            members = new int[length];
            sortKeys = new long[length];
            precisionByFound = new double[length];
            counts = new int[2 * buckets];
            posAbove = new int[buckets];
            negAbove = new int[buckets];
            start = new int[buckets];
        }
    }
}
