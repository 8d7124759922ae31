package io.contrastream.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FusedScanTest {

    /**
     * Embeddings on a coarse grid (entries in {-1, 0, 1, 2} plus a class offset), so many pairs have exactly equal
     * cosine similarity: ties in rankings, kNN neighbourhoods and AUC counts.
     */
    private static float[][] tiedClusters(int n, int dim, int classes, long seed, int[] labels) {
        Random rnd = new Random(seed);
        float[][] x = new float[n][dim];
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(classes);
            for (int k = 0; k < dim; k++) {
                x[i][k] = rnd.nextInt(4) - 1 + (k == labels[i] % dim ? 2f : 0f);
            }
        }
        return x;
    }

    private static void assertSameAsSeparateClasses(MetricSuite suite, SuiteRunner.Input in) {
        RetrievalMetrics.Result retrieval = new RetrievalMetrics(
                suite.recallKs().stream().mapToInt(Integer::intValue).toArray(), suite.mrrCutoff())
                .evaluate(in.testEmbeddings(), in.testLabels());
        PairAuc pairAuc = new PairAuc(suite.maxPairs(), suite.seed());
        PairAuc.Pooled pooled = pairAuc.pooled(in.testEmbeddings(), in.testLabels());
        PairAuc.PerQuery perQuery = pairAuc.meanPerQuery(in.testEmbeddings(), in.testLabels());
        WeightedKnn.Result knn = new WeightedKnn(suite.knnK(), suite.knnTau())
                .evaluate(in.trainEmbeddings(), in.trainLabels(), in.testEmbeddings(), in.testLabels());
        for (int threads : new int[] {1, 3}) {
            FusedScan.Outcome fused = FusedScan.run(suite, in, threads);
            assertEquals(retrieval, fused.retrieval().orElseThrow(), "retrieval, threads " + threads);
            assertEquals(pooled, fused.pooled().orElseThrow(), "pooled AUC, threads " + threads);
            assertEquals(perQuery, fused.perQuery().orElseThrow(), "per-query AUC, threads " + threads);
            WeightedKnn.Result k = fused.knn().orElseThrow();
            assertArrayEquals(knn.predictions(), k.predictions(), "kNN predictions, threads " + threads);
            assertEquals(knn.accuracy(), k.accuracy(), 0.0);
            assertEquals(knn.k(), k.k());
        }
    }

    @Test
    void shouldEqualTheSeparateClassesExactlyWithTiesEnumeratedPairsAndSeveralThreads() {
        // 1,300 queries (41 blocks of 32, the last partial) against themselves and a 1,100-item memory: rows longer
        // than 1,024 with k = 200 and R ~ 100 take the pre-filtered selection; 844,350 pairs <= 4M are enumerated
        int[] trainY = new int[1100];
        int[] testY = new int[1300];
        float[][] train = tiedClusters(1100, 6, 13, 1, trainY);
        float[][] test = tiedClusters(1300, 6, 13, 2, testY);
        assertSameAsSeparateClasses(MetricSuite.fast(), SuiteRunner.Input.of(train, trainY, test, testY, "test"));
    }

    @Test
    void shouldEqualTheSeparateClassesExactlyWhenPooledPairsAreSampled() {
        // 300 samples have 44,850 pairs > 5,000: the pooled AUC samples seeded pairs; a label (7) that appears in
        // test only makes its queries skip retrieval
        int[] trainY = new int[200];
        int[] testY = new int[300];
        float[][] train = tiedClusters(200, 5, 4, 3, trainY);
        float[][] test = tiedClusters(300, 5, 4, 4, testY);
        testY[11] = 7;
        MetricSuite suite = new MetricSuite("sampled", EnumSet.of(MetricSuite.Metric.RETRIEVAL,
                MetricSuite.Metric.AUC, MetricSuite.Metric.KNN), List.of(1, 3, 20), 7, 5_003, 9L, 50, 0.1,
                LinearProbe.Config.defaults(), 2, 2, AdversarialRobustness.Config.defaults(), List.of(),
                MetricSuite.ALL_QUERIES);
        SuiteRunner.Input in = SuiteRunner.Input.of(train, trainY, test, testY, "test");
        assertSameAsSeparateClasses(suite, in);
        PairAuc.Pooled pooled = FusedScan.run(suite, in, 2).pooled().orElseThrow();
        assertTrue(pooled.sampled());
        // floor(5,003 / 300) = 16 pairs from each of the 300 rows
        assertEquals(300 * 16, pooled.positivePairs() + pooled.negativePairs());
        assertEquals(1, FusedScan.run(suite, in, 2).retrieval().orElseThrow().skippedQueries());
    }

    @Test
    void shouldComputeOnlyTheFamiliesOfTheSuite() {
        int[] trainY = new int[40];
        int[] testY = new int[30];
        SuiteRunner.Input in = SuiteRunner.Input.of(tiedClusters(40, 4, 3, 5, trainY), trainY,
                tiedClusters(30, 4, 3, 6, testY), testY, "test");
        FusedScan.Outcome knnOnly = FusedScan.run(MetricSuite.fast().withMetrics(EnumSet.of(MetricSuite.Metric.KNN)),
                in, 2);
        assertTrue(knnOnly.knn().isPresent());
        assertTrue(knnOnly.retrieval().isEmpty() && knnOnly.pooled().isEmpty() && knnOnly.perQuery().isEmpty());
    }
}
