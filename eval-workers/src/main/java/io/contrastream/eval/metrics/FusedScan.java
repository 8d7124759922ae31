package io.contrastream.eval.metrics;

import io.contrastream.eval.metrics.internal.DenseLabels;
import io.contrastream.eval.metrics.internal.RowRanks;
import io.contrastream.eval.metrics.internal.SimilarityScan;
import io.contrastream.eval.metrics.internal.UnitRows;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Computes retrieval, AUC (pooled and per query) and weighted kNN of a {@link MetricSuite} in one pass over query
 * blocks: each block's similarities to the test split and to the train memory are computed once and fed to every
 * family's per-query scorer. Each family keeps its own definition (the per-row scoring code is the family class's
 * own); the similarity pass is shared, and so is one {@code RowRanks} per test row, from which retrieval (first
 * relevant rank, mAP@R) and the per-query AUC (exact U) both score it. Query blocks are spread over threads with
 * per-query results reduced in query order, so values are identical to the separate classes' for any thread count.
 * When the pooled AUC does not enumerate every pair it reads its pairs from the same rows ({@code PairAuc.RowPairs}).
 *
 * <p>When the suite samples its queries ({@link MetricSuite#samplesQueries}), only the sampled test rows are
 * queries; the gallery is still the whole test split and the kNN memory the whole train set, and each family
 * additionally reports the standard error of its estimate.
 */
final class FusedScan {

    /**
     * The families' results, present for the families the suite includes.
     *
     * @param retrieval retrieval metrics of the test split against itself
     * @param pooled    pooled AUC
     * @param perQuery  mean per-query AUC
     * @param knn       weighted kNN of test against the train memory
     * @param queries   sampled queries, or {@link MetricSuite#ALL_QUERIES} when every test sample was a query
     * @param standardErrors standard error of each sampled per-query value by metric name (empty when not sampled)
     */
    record Outcome(Optional<RetrievalMetrics.Result> retrieval, Optional<PairAuc.Pooled> pooled,
                   Optional<PairAuc.PerQuery> perQuery, Optional<WeightedKnn.Result> knn, int queries,
                   Map<String, Double> standardErrors) {
        /** No family computed. */
        static final Outcome NONE = new Outcome(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), MetricSuite.ALL_QUERIES, Map.of());

        /** True when the values are estimates from a query sample. */
        boolean sampled() {
            return queries != MetricSuite.ALL_QUERIES;
        }
    }

    private FusedScan() {
    }

    /** True when {@code suite} has at least one family computed here. */
    static boolean applies(MetricSuite suite) {
        return suite.includes(MetricSuite.Metric.RETRIEVAL) || suite.includes(MetricSuite.Metric.AUC)
                || suite.includes(MetricSuite.Metric.KNN);
    }

    /** Runs the suite's retrieval, AUC and kNN families on {@code threads} threads. */
    static Outcome run(MetricSuite suite, SuiteRunner.Input in, int threads) {
        boolean retrieval = suite.includes(MetricSuite.Metric.RETRIEVAL);
        boolean auc = suite.includes(MetricSuite.Metric.AUC);
        boolean knn = suite.includes(MetricSuite.Metric.KNN);
        int[] testLabels = in.testLabels();
        UnitRows test = UnitRows.of(in.testEmbeddings(), in.split() + " embeddings");
        int nTest = test.rows();
        int[] chosen = QuerySample.choose(nTest, suite.queries(), suite.seed());
        UnitRows queries = chosen == null ? test : QuerySample.rows(test, chosen);
        int[] queryLabels = chosen == null ? testLabels : QuerySample.labels(testLabels, chosen);
        int m = queries.rows();
        List<UnitRows> galleries = new ArrayList<>();
        RetrievalMetrics.Rows retrievalRows = null;
        PairAuc pairAuc = new PairAuc(suite.maxPairs(), suite.seed());
        PairAuc.PerQueryRows perQueryRows = null;
        PairAuc.PooledRows pooledRows = null;
        PairAuc.RowPairs rowPairs = null;
        int[] dense = DenseLabels.of(testLabels).indexAll(testLabels);
        if (retrieval || auc) {
            galleries.add(test);
        }
        if (retrieval) {
            RetrievalMetrics metrics = new RetrievalMetrics(suite.recallKs().stream().mapToInt(Integer::intValue)
                    .toArray(), suite.mrrCutoff());
            retrievalRows = chosen == null ? metrics.rows(testLabels, testLabels, true)
                    : metrics.rows(queryLabels, testLabels, chosen);
        }
        if (auc) {
            perQueryRows = pairAuc.perQueryRows(dense, m);
            if (chosen == null && pairAuc.enumeratesAllPairs(nTest)) {
                pooledRows = pairAuc.pooledRows(dense);
            } else {
                rowPairs = pairAuc.rowPairs(dense, chosen, m);
            }
        }
        WeightedKnn.Rows knnRows = null;
        int memoryGallery = -1;
        if (knn) {
            knnRows = new WeightedKnn(suite.knnK(), suite.knnTau()).rows(in.trainLabels(), queryLabels);
            memoryGallery = galleries.size();
            galleries.add(UnitRows.of(in.trainEmbeddings(), "kNN memory"));
        }
        int nMemory = knn ? galleries.get(memoryGallery).rows() : 0;
        RetrievalMetrics.Rows r = retrievalRows;
        PairAuc.PerQueryRows pq = perQueryRows;
        PairAuc.PooledRows pooled = pooledRows;
        PairAuc.RowPairs pairs = rowPairs;
        WeightedKnn.Rows k = knnRows;
        int mg = memoryGallery;
        SimilarityScan.scanBlocks(queries, galleries.toArray(new UnitRows[0]), threads, () -> {
            // retrieval and per-query AUC rank each row once (same split, same classes): one RowRanks serves both
            RowRanks ranks = new RowRanks();
            SimilarityScan.RowConsumer pooledScorer = pooled == null ? null : pooled.scorer();
            SimilarityScan.RowConsumer pairsScorer = pairs == null ? null : pairs.scorer();
            SimilarityScan.RowConsumer knnScorer = k == null ? null : k.scorer();
            return (q0, qb, rows) -> {
                for (int i = 0; i < qb; i++) {
                    int q = q0 + i;
                    int self = chosen == null ? q : chosen[q];
                    if (r != null || pq != null) {
                        ranks.rank(rows[0], i * nTest, nTest, self, dense, dense[self]);
                        if (r != null) {
                            r.score(q, ranks);
                        }
                        if (pq != null) {
                            pq.score(q, ranks);
                        }
                    }
                    if (pooledScorer != null) {
                        pooledScorer.accept(q, rows[0], i * nTest, nTest);
                    }
                    if (pairsScorer != null) {
                        pairsScorer.accept(q, rows[0], i * nTest, nTest);
                    }
                    if (knnScorer != null) {
                        knnScorer.accept(q, rows[mg], i * nMemory, nMemory);
                    }
                }
            };
        });
        Optional<PairAuc.Pooled> pooledResult = Optional.empty();
        if (auc) {
            pooledResult = Optional.of(pooled != null ? pooled.result() : pairs.result());
        }
        Map<String, Double> errors = new LinkedHashMap<>();
        if (chosen != null) {
            if (r != null) {
                errors.putAll(r.standardErrors(nTest));
            }
            if (pq != null) {
                errors.put("auc-per-query", pq.standardError(nTest));
            }
            if (k != null) {
                errors.put("knn-accuracy", k.standardError(nTest));
            }
        }
        return new Outcome(Optional.ofNullable(r).map(RetrievalMetrics.Rows::result), pooledResult,
                Optional.ofNullable(pq).map(PairAuc.PerQueryRows::result),
                Optional.ofNullable(k).map(WeightedKnn.Rows::result),
                chosen == null ? MetricSuite.ALL_QUERIES : m,
                java.util.Collections.unmodifiableMap(errors));
    }
}
