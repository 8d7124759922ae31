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
 * <p>How: only the positives (about a tenth of a row, listed once per class) are sorted into retrieval order, by a
 * counting sort on {@value #BUCKETS_PER_POSITIVE} buckets per positive over [min, max] of the row (a monotone
 * function of the similarity, so a higher bucket means a strictly higher similarity) and an insertion sort inside
 * buckets. One pass over the row counts the items of every bucket and lists the negatives that share a bucket with
 * a positive. For a positive, the negatives ranking above it are those of higher buckets (suffix sums of the
 * counts, minus the positives there) plus those of its own bucket that rank above it, found by comparing each
 * listed negative exactly with its bucket's few positives; "above" means a higher similarity, or an equal
 * similarity and a lower gallery index. Its rank is {@code 1 + positives above + negatives above}. Its U term,
 * {@code negatives below + negatives equal / 2}, follows from the same count corrected for negatives of exactly
 * equal similarity (found in the exact comparisons): +1/2 for each such negative ranked above it, -1/2 for each
 * below. U is a sum of half-integers and is kept as an exact integer count of halves, so it is identical to
 * sorting both sets and merging. Reuses its buffers; one instance per thread.
 *
 * <p>The hot loops avoid what C2 compiles badly: the bucket of every item is computed in a loop of its own with no
 * clamping (it vectorises; clamping with {@code Math.min/max} made it about ten times slower), the pass over the
 * row lists negatives without branches, and exact comparisons use packed integer keys, not float comparisons
 * (which compile to branches). An earlier version bucketed every item and compared all members of a positive's
 * bucket with branches on class and order: about 110 us of CPU per 10,000-item row of a trained checkpoint's
 * embeddings, against about 70 us here.
 */
public final class RowRanks {

    /** Positives per bucket of the counting sort, inverted: buckets = this times the positives. */
    private static final int BUCKETS_PER_POSITIVE = 8;
    /** Runs of sorted positives up to this long are scanned or insertion-sorted; longer ones are searched. */
    private static final int LINEAR_SCAN = 16;

    private int[] positiveIndex = new int[0];
    private float[] positiveValue = new float[0];
    private int[] sortedIndex = new int[0];
    private float[] sortedValue = new float[0];
    private int[] bucketCount = new int[0];
    private int[] edge = new int[0];
    private int[] above = new int[0];
    private long[] sortKeys = new long[0];
    private long[] sortedKey = new long[0];
    private int[] bucketOf = new int[0];
    private int[] nearPositive = new int[0];
    private int[] itemCount = new int[0];
    private int[] bucketSpan = new int[0];
    private int[] sortedBucket = new int[0];
    private int[] indexedClasses;
    private int indexedLength = -1;
    private int lowestClass;
    private int[] classStart;
    private int[] classItems;

    private int positives;
    private int negatives;
    private long twiceU;
    private int firstRank;
    private double precisionSum;
    private long tieCorrection;

    /**
     * Ranks {@code sims[offset .. offset + length)} against gallery classes {@code galleryClass}: item j is a
     * positive when {@code galleryClass[j] == queryClass}. Item {@code exclude} (or none when -1) is left out.
     * The items of each class are indexed once per {@code galleryClass} array, so its contents must not change
     * between calls that pass the same array.
     */
    public void rank(float[] sims, int offset, int length, int exclude, int[] galleryClass, int queryClass) {
        ensure(length);
        int ex = exclude >= 0 && exclude < length ? exclude : -1;
        int np = gatherPositives(sims, offset, length, ex, galleryClass, queryClass);
        positives = np;
        negatives = length - np - (ex >= 0 ? 1 : 0);
        twiceU = 0;
        firstRank = 0;
        precisionSum = 0;
        if (np == 0) {
            return;
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < length; j++) {
            float v = sims[offset + j];
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        // buckets over [min, max] of the whole row: (v - min) * scale lies in [0, buckets] for every item, so the
        // bucket needs no clamping and the loop below compiles to vector code
        int buckets = Math.max(16, BUCKETS_PER_POSITIVE * np);
        float scale = max > min ? (float) (buckets / ((double) max - min)) : 0f;
        if (scale == Float.POSITIVE_INFINITY) {
            // a range below buckets / Float.MAX_VALUE (denormal similarities): coarser buckets, still within range
            scale = Float.MAX_VALUE;
        }
        int[] bucket = bucketOf;
        for (int j = 0; j < length; j++) {
            bucket[j] = (int) ((sims[offset + j] - min) * scale);
        }
        sortPositives(np, buckets, min, scale);
        // one pass over the row: count every item in its bucket, and list (without branching) the negatives that
        // share a bucket with a positive; only those are compared exactly
        int[] hist = itemCount;
        int[] span = bucketSpan;
        // a plain loop rather than Arrays.fill: see SimilarityScan#kernel on inlined JDK helpers and C2
        for (int b = 0; b <= buckets; b++) {
            hist[b] = 0;
        }
        int[] near = nearPositive;
        int m = 0;
        for (int j = 0; j < length; j++) {
            int b = bucket[j];
            hist[b]++;
            int s = span[b];
            int other = galleryClass[j] ^ queryClass;
            near[m] = j;
            m += (s | -s) >>> 31 & (other | -other) >>> 31;
        }
        if (ex >= 0) {
            hist[bucket[ex]]--;
        }
        // hist[b] becomes the number of items (positives included, the excluded item not) in buckets above b
        int itemsAbove = 0;
        for (int b = buckets; b >= 0; b--) {
            int c = hist[b];
            hist[b] = itemsAbove;
            itemsAbove += c;
        }
        // a negative of a positive's bucket ranks above the positives at sorted positions lo + a .. hi - 1, a
        // being the bucket's positives ranked above it: count it at lo + a, summed below within the bucket
        int[] e = edge;
        int[] inBucket = above;
        for (int t = 0; t <= np; t++) {
            inBucket[t] = 0;
        }
        tieCorrection = 0;
        for (int t = 0; t < m; t++) {
            int j = near[t];
            if (j == ex) {
                continue;
            }
            int b = bucket[j];
            int lo = e[b + 1];
            int hi = e[b];
            int a = positivesAbove(sims[offset + j], j, lo, hi, galleryClass, queryClass, 1);
            if (a < hi - lo) {
                inBucket[lo + a]++;
            }
        }
        int[] sBucket = sortedBucket;
        long u = 0;
        int n = negatives;
        double sum = 0;
        int runningInBucket = 0;
        int bucketStart = 0;
        int previousBucket = -1;
        for (int t = 0; t < np; t++) {
            int b = sBucket[t];
            if (b != previousBucket) {
                previousBucket = b;
                runningInBucket = 0;
                bucketStart = e[b + 1];
            }
            runningInBucket += inBucket[t];
            int negAbove = hist[b] - bucketStart + runningInBucket;
            u += 2L * (n - negAbove);
            int rank = t + 1 + negAbove;
            if (t == 0) {
                firstRank = rank;
            }
            if (rank <= np) {
                sum += (double) (t + 1) / rank;
            }
        }
        twiceU = u + tieCorrection;
        precisionSum = sum;
    }

    /**
     * Fills positiveIndex (ascending) and positiveValue with the positives of the row; returns their number. Uses
     * the per-class item lists of {@code galleryClass}, built on first use.
     */
    private int gatherPositives(float[] sims, int offset, int length, int ex, int[] galleryClass, int queryClass) {
        int[] pIdx = positiveIndex;
        float[] pVal = positiveValue;
        if (galleryClass != indexedClasses || length != indexedLength) {
            indexClasses(galleryClass, length);
        }
        int np = 0;
        if (classStart == null) {
            for (int j = 0; j < length; j++) {
                if (galleryClass[j] == queryClass && j != ex) {
                    pIdx[np] = j;
                    pVal[np++] = sims[offset + j];
                }
            }
            return np;
        }
        if (queryClass < lowestClass || queryClass - lowestClass >= classStart.length - 1) {
            return 0;
        }
        int c = queryClass - lowestClass;
        int[] items = classItems;
        for (int t = classStart[c]; t < classStart[c + 1]; t++) {
            int j = items[t];
            if (j != ex) {
                pIdx[np] = j;
                pVal[np++] = sims[offset + j];
            }
        }
        return np;
    }

    /** Lists the items of each class of {@code galleryClass[0 .. length)} in index order (when classes are few). */
    private void indexClasses(int[] galleryClass, int length) {
        indexedClasses = galleryClass;
        indexedLength = length;
        classStart = null;
        if (length == 0) {
            return;
        }
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        for (int j = 0; j < length; j++) {
            lo = Math.min(lo, galleryClass[j]);
            hi = Math.max(hi, galleryClass[j]);
        }
        if ((long) hi - lo >= length) {
            return;
        }
        int classes = hi - lo + 1;
        int[] start = new int[classes + 1];
        for (int j = 0; j < length; j++) {
            start[galleryClass[j] - lo + 1]++;
        }
        for (int c = 0; c < classes; c++) {
            start[c + 1] += start[c];
        }
        int[] fill = Arrays.copyOf(start, classes);
        int[] items = new int[length];
        for (int j = 0; j < length; j++) {
            items[fill[galleryClass[j] - lo]++] = j;
        }
        lowestClass = lo;
        classStart = start;
        classItems = items;
    }

    /**
     * A key whose signed order is the retrieval order reversed: key(v, i) &gt; key(w, j) when v &gt; w, or v == w
     * and i &lt; j (similarities are compared as floats: -0 equals 0). Keys lie within +-2^62, so a difference of
     * two never overflows and its sign bit is the comparison.
     */
    private static long packedKey(float similarity, int index) {
        int bits = Float.floatToRawIntBits(similarity + 0.0f);
        int ascending = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) ascending << 32) + (0x7fffffffL - index);
    }

    /**
     * Of the sorted positives {@code [lo, hi)} (all in item j's bucket), the number that rank above item j of
     * similarity v; adds {@code sign} times the U correction of negative j's exact ties with them. The positives
     * ranking above j are a prefix of the range, and those of similarity equal to v a contiguous run in index
     * order, so long ranges are binary-searched.
     */
    private int positivesAbove(float v, int j, int lo, int hi, int[] galleryClass, int queryClass, int sign) {
        float[] val = sortedValue;
        int greater;
        int rankedAbove;
        int atLeast;
        if (hi - lo <= LINEAR_SCAN) {
            // integer arithmetic on the packed keys, without branches (float comparisons compile to branches)
            long[] keys = sortedKey;
            long key = packedKey(v, j);
            long score = key >> 32;
            greater = 0;
            rankedAbove = 0;
            atLeast = 0;
            for (int t = lo; t < hi; t++) {
                long w = keys[t];
                long wScore = w >> 32;
                rankedAbove += (int) ((key - w) >>> 63);
                greater += (int) ((score - wScore) >>> 63);
                atLeast += 1 - (int) ((wScore - score) >>> 63);
            }
        } else {
            greater = firstAtMost(v, lo, hi) - lo;
            atLeast = firstBelow(v, lo, hi) - lo;
            rankedAbove = firstIndexAtLeast(j, lo + greater, lo + atLeast) - lo;
        }
        if (atLeast > greater && galleryClass[j] != queryClass) {
            // U counts a pair of equal similarity one half; the rank order put negative j wholly below the equal
            // positives ranked above it (counted 1 too many) and wholly above the others (1 too few)
            int equalAbove = rankedAbove - greater;
            int equalBelow = atLeast - rankedAbove;
            tieCorrection += (long) sign * (equalBelow - equalAbove);
        }
        return rankedAbove;
    }

    /** First sorted position in [lo, hi) whose similarity is &lt;= v (hi if none). */
    private int firstAtMost(float v, int lo, int hi) {
        float[] val = sortedValue;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (val[mid] > v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First sorted position in [lo, hi) whose similarity is &lt; v (hi if none). */
    private int firstBelow(float v, int lo, int hi) {
        float[] val = sortedValue;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (val[mid] >= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First sorted position in [lo, hi) (a run of equal similarity, index ascending) with index &gt;= j. */
    private int firstIndexAtLeast(int j, int lo, int hi) {
        int[] idx = sortedIndex;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (idx[mid] < j) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Sorts the positives into retrieval order (similarity descending, index ascending) into sortedIndex and
     * sortedValue, and leaves in {@code edge[b]} the number of positives in buckets &gt;= b (b from 0 to
     * {@code buckets + 1}), so bucket b's positives are the sorted positions {@code [edge[b + 1], edge[b])}.
     */
    private void sortPositives(int np, int buckets, float min, float scale) {
        int[] cnt = bucketCount;
        int[] pIdx = positiveIndex;
        float[] pVal = positiveValue;
        for (int b = 0; b <= buckets; b++) {
            cnt[b] = 0;
        }
        for (int t = 0; t < np; t++) {
            cnt[(int) ((pVal[t] - min) * scale)]++;
        }
        int[] e = edge;
        int sum = 0;
        int largest = 0;
        e[buckets + 1] = 0;
        int[] span = bucketSpan;
        for (int b = buckets; b >= 0; b--) {
            // cnt[b] becomes the next free sorted position of bucket b
            int c = cnt[b];
            span[b] = c;
            largest = Math.max(largest, c);
            cnt[b] = sum;
            sum += c;
            e[b] = sum;
        }
        int[] sIdx = sortedIndex;
        float[] sVal = sortedValue;
        int[] sBucket = sortedBucket;
        for (int t = 0; t < np; t++) {
            int b = (int) ((pVal[t] - min) * scale);
            int at = cnt[b]++;
            sIdx[at] = pIdx[t];
            sVal[at] = pVal[t];
            sBucket[at] = b;
        }
        // each bucket is in index order; a stable sort by similarity descending within buckets finishes the order
        if (largest <= LINEAR_SCAN) {
            insertionSort(0, np);
        } else {
            for (int b = buckets; b >= 0; b--) {
                int from = e[b + 1];
                int to = e[b];
                if (to - from <= LINEAR_SCAN) {
                    insertionSort(from, to);
                } else {
                    keySort(from, to);
                }
            }
        }
        long[] sKey = sortedKey;
        for (int t = 0; t < np; t++) {
            sKey[t] = packedKey(sVal[t], sIdx[t]);
        }
    }

    /** Stable insertion sort of sorted positions [from, to) by similarity descending. */
    private void insertionSort(int from, int to) {
        int[] sIdx = sortedIndex;
        float[] sVal = sortedValue;
        for (int t = from + 1; t < to; t++) {
            float v = sVal[t];
            int i = sIdx[t];
            int s = t - 1;
            while (s >= from && sVal[s] < v) {
                sVal[s + 1] = sVal[s];
                sIdx[s + 1] = sIdx[s];
                s--;
            }
            sVal[s + 1] = v;
            sIdx[s + 1] = i;
        }
    }

    /** Sorts sorted positions [from, to) by (similarity descending, index ascending) through packed keys. */
    private void keySort(int from, int to) {
        int size = to - from;
        if (sortKeys.length < size) {
            sortKeys = new long[size];
        }
        long[] keys = sortKeys;
        for (int t = 0; t < size; t++) {
            keys[t] = RankedSelection.key(sortedValue[from + t], sortedIndex[from + t]);
        }
        Arrays.sort(keys, 0, size);
        for (int t = 0; t < size; t++) {
            // the key's score half is the order-preserving bit pattern of the similarity (-0 read as +0)
            int ascending = ~(int) (keys[t] >>> 32);
            sortedIndex[from + t] = (int) keys[t];
            sortedValue[from + t] = Float.intBitsToFloat(ascending ^ ((ascending >> 31) & 0x7fffffff));
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
        return precisionSum;
    }

    private void ensure(int length) {
        if (positiveIndex.length < length) {
            int buckets = Math.max(16, BUCKETS_PER_POSITIVE * length);
            positiveIndex = new int[length];
            positiveValue = new float[length];
            sortedIndex = new int[length + 1];
            sortedValue = new float[length + 1];
            sortedKey = new long[length + 1];
            bucketOf = new int[length];
            nearPositive = new int[length];
            above = new int[length + 1];
            bucketCount = new int[buckets + 1];
            itemCount = new int[buckets + 1];
            bucketSpan = new int[buckets + 1];
            sortedBucket = new int[length];
            edge = new int[buckets + 2];
        }
    }
}
