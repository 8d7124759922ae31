package io.contrastream.eval.metrics;

import io.contrastream.eval.metrics.internal.DenseLabels;
import io.contrastream.eval.metrics.internal.RowRanks;
import io.contrastream.eval.metrics.internal.SimilarityScan;
import io.contrastream.eval.metrics.internal.UnitRows;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Label-based retrieval metrics: every query is ranked against a gallery by cosine similarity of L2-normalised
 * embeddings; a gallery item is relevant when it has the query's label. For a single split the gallery is the split
 * itself minus the query ("leave-one-out").
 *
 * <ul>
 *   <li><b>Recall@K</b>: fraction of queries with at least one relevant item among the top K, the standard
 *       metric-learning definition (Musgrave, Belongie, Lim, "A Metric Learning Reality Check", ECCV 2020, Sec. 3.2;
 *       Jegou, Douze, Schmid, "Product Quantization for Nearest Neighbor Search", TPAMI 2011).</li>
 *   <li><b>MRR@C</b>: mean of 1/rank of the first relevant item, 0 when it is beyond rank C (default C = 10)
 *       (Voorhees, "The TREC-8 Question Answering Track Report", TREC 1999).</li>
 *   <li><b>mAP@R</b>: with R the number of relevant gallery items of the query,
 *       {@code (1/R) * sum_{i=1..R} P@i * rel(i)} (Musgrave et al. 2020, Sec. 3.2).</li>
 * </ul>
 *
 * <p>Ties: items with equal similarity are ranked by gallery index ascending, so results are deterministic.
 * Queries with no relevant item in the gallery are skipped and counted in {@link Result#skippedQueries()}.
 *
 * <p>Cost: one blocked pass over the similarity matrix plus, per query, an expected O(n) ranking of the relevant
 * items ({@link RowRanks}: bucketed counts, exact comparisons only within a bucket); nothing of size n x n is
 * stored.
 */
public final class RetrievalMetrics {

    /** Default cut-offs for Recall@K. */
    public static final List<Integer> DEFAULT_KS = List.of(1, 5, 10);
    /** Default MRR cut-off. */
    public static final int DEFAULT_MRR_CUTOFF = 10;

    /**
     * Retrieval results.
     *
     * @param recallAtK      Recall@K by K, in ascending K order
     * @param mrr            MRR at {@code mrrCutoff}
     * @param mrrCutoff      the MRR cut-off
     * @param mapAtR         mAP@R
     * @param queries        queries evaluated
     * @param skippedQueries queries without any relevant gallery item (not in the means)
     */
    public record Result(Map<Integer, Double> recallAtK, double mrr, int mrrCutoff, double mapAtR, int queries,
                         int skippedQueries) {
        /** Copies the map. */
        public Result {
            recallAtK = Collections.unmodifiableMap(new LinkedHashMap<>(recallAtK));
        }

        /** Recall at {@code k}; throws when {@code k} was not computed. */
        public double recallAt(int k) {
            Double v = recallAtK.get(k);
            if (v == null) {
                throw new IllegalArgumentException("Recall@" + k + " was not computed; computed Ks are "
                        + recallAtK.keySet());
            }
            return v;
        }
    }

    private final int[] ks;
    private final int mrrCutoff;

    /** Recall@{1,5,10}, MRR@10, mAP@R. */
    public RetrievalMetrics() {
        this(DEFAULT_KS.stream().mapToInt(Integer::intValue).toArray(), DEFAULT_MRR_CUTOFF);
    }

    /**
     * @param ks        Recall@K cut-offs, each &gt;= 1
     * @param mrrCutoff MRR cut-off, &gt;= 1
     */
    public RetrievalMetrics(int[] ks, int mrrCutoff) {
        if (ks.length == 0 || Arrays.stream(ks).anyMatch(k -> k < 1) || mrrCutoff < 1) {
            throw new IllegalArgumentException("RetrievalMetrics: ks " + Arrays.toString(ks) + " and mrrCutoff "
                    + mrrCutoff + " must all be >= 1 and ks non-empty");
        }
        this.ks = Arrays.stream(ks).distinct().sorted().toArray();
        this.mrrCutoff = mrrCutoff;
    }

    /** Each sample of the split queries the rest of the split. */
    public Result evaluate(float[][] embeddings, int[] labels) {
        DenseLabels.requireSameLength(embeddings, labels, "retrieval split");
        UnitRows x = UnitRows.of(embeddings, "retrieval split");
        return evaluate(x, labels, x, labels, true);
    }

    /**
     * Queries against a separate gallery.
     *
     * @param excludeSameIndex when true, gallery item i is not a candidate for query i (use when the gallery is the
     *                         clean version of the queries, e.g. perturbed queries against clean embeddings)
     */
    public Result evaluate(float[][] queries, int[] queryLabels, float[][] gallery, int[] galleryLabels,
                           boolean excludeSameIndex) {
        DenseLabels.requireSameLength(queries, queryLabels, "retrieval queries");
        DenseLabels.requireSameLength(gallery, galleryLabels, "retrieval gallery");
        if (excludeSameIndex && queries.length != gallery.length) {
            throw new IllegalArgumentException("excludeSameIndex needs as many queries (" + queries.length
                    + ") as gallery items (" + gallery.length + ")");
        }
        return evaluate(UnitRows.of(queries, "retrieval queries"), queryLabels,
                UnitRows.of(gallery, "retrieval gallery"), galleryLabels, excludeSameIndex);
    }

    private Result evaluate(UnitRows q, int[] qLabels, UnitRows g, int[] gLabels, boolean excludeSelf) {
        Rows rows = rows(qLabels, gLabels, excludeSelf);
        SimilarityScan.scan(q, g, rows.scorer());
        return rows.result();
    }

    /** Per-query state for queries with {@code qLabels} against a gallery with {@code gLabels}. */
    Rows rows(int[] qLabels, int[] gLabels, boolean excludeSelf) {
        return new Rows(qLabels, gLabels, excludeSelf, null);
    }

    /**
     * Per-query state for queries that are the gallery items {@code self} (query q is gallery item {@code self[q]},
     * excluded from its own ranking), with {@code qLabels[q] == gLabels[self[q]]}.
     */
    Rows rows(int[] qLabels, int[] gLabels, int[] self) {
        return new Rows(qLabels, gLabels, true, self);
    }

    /**
     * Scores similarity rows one query at a time into per-query slots, so rows may arrive in any order and from
     * several threads (one {@link #scorer()} each); {@link #result()} then reduces the slots in query order.
     */
    final class Rows {
        private final int[] qDense;
        private final int[] gDense;
        private final int[] classCount;
        private final boolean excludeSelf;
        private final int maxK;
        private final int[] firstRank;
        private final double[] averagePrecision;
        private final boolean[] skipped;
        private final int[] self;

        private Rows(int[] qLabels, int[] gLabels, boolean excludeSelf, int[] self) {
            DenseLabels classes = DenseLabels.of(gLabels);
            this.gDense = classes.indexAll(gLabels);
            this.qDense = classes.indexAll(qLabels);
            this.classCount = new int[classes.size()];
            for (int c : gDense) {
                classCount[c]++;
            }
            this.excludeSelf = excludeSelf;
            this.maxK = Math.max(ks[ks.length - 1], mrrCutoff);
            this.firstRank = new int[qLabels.length];
            this.averagePrecision = new double[qLabels.length];
            this.skipped = new boolean[qLabels.length];
            this.self = self;
        }

        /** Gallery index excluded from {@code query}'s ranking, -1 for none. */
        int self(int query) {
            return !excludeSelf ? -1 : self == null ? query : self[query];
        }

        /** A row consumer with its own buffers; use one per thread. */
        SimilarityScan.RowConsumer scorer() {
            RowRanks ranks = new RowRanks();
            return (query, sims, offset, length) -> {
                if (relevant(query) <= 0) {
                    skipped[query] = true;
                    return;
                }
                ranks.rank(sims, offset, length, self(query), gDense, qDense[query]);
                score(query, ranks);
            };
        }

        /** Relevant gallery items of {@code query}: its class's items, minus itself when excluded. */
        int relevant(int query) {
            int c = qDense[query];
            return c < 0 ? 0 : classCount[c] - (excludeSelf && gDense[self(query)] == c ? 1 : 0);
        }

        /**
         * Standard errors (see {@link MetricSuite}) of recall@K, mrr@C and map@r as estimates over a gallery of
         * {@code population} possible queries, from the scored queries' values, by metric name.
         */
        java.util.Map<String, Double> standardErrors(int population) {
            int m = 0;
            for (boolean s : skipped) {
                m += s ? 0 : 1;
            }
            double[] v = new double[m];
            Map<String, Double> out = new LinkedHashMap<>();
            for (int k : ks) {
                fill(v, q -> firstRank[q] <= k ? 1 : 0);
                out.put("recall@" + k, QuerySample.standardError(v, m, population));
            }
            fill(v, q -> firstRank[q] <= mrrCutoff ? 1.0 / firstRank[q] : 0);
            out.put("mrr@" + mrrCutoff, QuerySample.standardError(v, m, population));
            fill(v, q -> averagePrecision[q]);
            out.put("map@r", QuerySample.standardError(v, m, population));
            return out;
        }

        private void fill(double[] v, java.util.function.IntToDoubleFunction f) {
            int i = 0;
            for (int q = 0; q < skipped.length; q++) {
                if (!skipped[q]) {
                    v[i++] = f.applyAsDouble(q);
                }
            }
        }

        /**
         * Scores {@code query} from its row ranked by {@link RowRanks#rank} with this gallery's classes, the query's
         * class and the query excluded when {@code excludeSelf}. The first relevant rank counts when it lies within
         * the top max(K, R), as a walk down the top max(K, R) of the sorted row would find it.
         */
        void score(int query, RowRanks ranks) {
            int relevant = relevant(query);
            if (relevant <= 0) {
                skipped[query] = true;
                return;
            }
            if (ranks.positives() != relevant) {
                throw new IllegalStateException("query " + query + ": ranked " + ranks.positives()
                        + " relevant items, expected " + relevant);
            }
            int depth = Math.max(maxK, relevant);
            int first = ranks.firstRank();
            firstRank[query] = first >= 1 && first <= depth ? first : Integer.MAX_VALUE;
            averagePrecision[query] = ranks.precisionSumAtR() / relevant;
        }

        /** Means over the scored queries, summed in query order. */
        Result result() {
            long[] hits = new long[ks.length];
            double rrSum = 0;
            double apSum = 0;
            int n = 0;
            int skippedQueries = 0;
            for (int query = 0; query < firstRank.length; query++) {
                if (skipped[query]) {
                    skippedQueries++;
                    continue;
                }
                n++;
                int first = firstRank[query];
                for (int i = 0; i < ks.length; i++) {
                    if (first <= ks[i]) {
                        hits[i]++;
                    }
                }
                if (first <= mrrCutoff) {
                    rrSum += 1.0 / first;
                }
                apSum += averagePrecision[query];
            }
            Map<Integer, Double> recall = new LinkedHashMap<>();
            for (int i = 0; i < ks.length; i++) {
                recall.put(ks[i], n == 0 ? Double.NaN : (double) hits[i] / n);
            }
            return new Result(recall, n == 0 ? Double.NaN : rrSum / n, mrrCutoff,
                    n == 0 ? Double.NaN : apSum / n, n, skippedQueries);
        }
    }
}
