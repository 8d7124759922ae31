package io.contrastream.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.eval.metrics.internal.SimilarityScan;
import io.contrastream.eval.metrics.internal.UnitRows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QuerySampleTest {

    /** Grid embeddings (entries in {-1, 0, 1, 2} plus a class offset): many exactly tied similarities. */
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

    private static MetricSuite suite(int queries) {
        return MetricSuite.fast().withSeed(3L).withQueries(queries);
    }

    private static Map<String, MetricValue> byName(List<MetricValue> values) {
        Map<String, MetricValue> out = new HashMap<>();
        values.forEach(v -> out.put(v.name(), v));
        return out;
    }

    @Test
    void shouldBeBitIdenticalToTheExactSuiteWhenTheSampleCoversTheSplit() {
        int[] trainY = new int[500];
        int[] testY = new int[700];
        SuiteRunner.Input in = SuiteRunner.Input.of(tiedClusters(500, 6, 7, 1, trainY), trainY,
                tiedClusters(700, 6, 7, 2, testY), testY, "test");
        List<MetricValue> exact = new SuiteRunner(suite(MetricSuite.ALL_QUERIES)).run(in,
                SuiteRunner.ProgressListener.none());
        for (int q : new int[] {700, 701, 5_000}) {
            assertEquals(exact, new SuiteRunner(suite(q), 2).run(in, SuiteRunner.ProgressListener.none()),
                    "queries " + q);
        }
        assertTrue(exact.stream().noneMatch(v -> v.labels().containsKey("queries")));
        List<MetricValue> sampled = new SuiteRunner(suite(699)).run(in, SuiteRunner.ProgressListener.none());
        assertFalse(exact.equals(sampled));
    }

    @Test
    void shouldEqualBruteForceOverTheSameSeededQueriesAtEveryCheckpoint() {
        // two "checkpoints": different embeddings of the same split; both must be scored on the queries drawn from
        // the suite seed, with the whole split as gallery and the whole train set as kNN memory
        int n = 400;
        int m = 57;
        int[] trainY = new int[300];
        int[] testY = new int[n];
        float[][] train = tiedClusters(300, 5, 6, 4, trainY);
        int[] chosen = QuerySample.choose(n, m, 3L);
        assertEquals(m, chosen.length);
        assertFalse(Arrays.equals(chosen, QuerySample.choose(n, m, 4L)), "another seed draws other queries");
        for (long checkpoint : new long[] {5, 6}) {
            int[] y = new int[n];
            float[][] test = tiedClusters(n, 5, 6, checkpoint, y);
            System.arraycopy(y, 0, testY, 0, n);
            SuiteRunner.Input in = SuiteRunner.Input.of(train, trainY, test, testY.clone(), "test");
            Map<String, Double> errors = new HashMap<>();
            List<MetricValue> values = new SuiteRunner(suite(m), 3).run(in, new SuiteRunner.ProgressListener() {
                @Override
                public void onProgress(String stage, int completed, int total) {
                }

                @Override
                public void onStandardErrors(Map<String, Double> standardErrors) {
                    errors.putAll(standardErrors);
                }
            });
            Map<String, MetricValue> v = byName(values);
            double[][] brute = bruteForce(test, y, chosen);
            String[] names = {"recall@1", "recall@5", "recall@10", "mrr@10", "map@r", "auc-per-query"};
            for (int i = 0; i < names.length; i++) {
                assertEquals(mean(brute[i]), v.get(names[i]).value(), 1e-12, names[i]);
                assertEquals(QuerySample.standardError(brute[i], m, n), errors.get(names[i]), 1e-12, names[i]);
                assertEquals(Map.of("queries", Integer.toString(m)), v.get(names[i]).labels(), names[i]);
            }
            float[][] sub = new float[m][];
            int[] subY = new int[m];
            for (int i = 0; i < m; i++) {
                sub[i] = test[chosen[i]];
                subY[i] = y[chosen[i]];
            }
            WeightedKnn.Result knn = new WeightedKnn().evaluate(train, trainY, sub, subY);
            assertEquals(knn.accuracy(), v.get("knn-accuracy").value(), 0.0);
            assertEquals(Integer.toString(m), v.get("knn-accuracy").labels().get("queries"));
            assertEquals(Integer.toString(m), v.get("auc").labels().get("queries"));
            assertEquals(7, errors.size());
            assertTrue(errors.values().stream().allMatch(e -> e >= 0 && e < 0.2), errors.toString());
        }
    }

    /**
     * Per chosen query: recall@1/5/10 hit, reciprocal rank (cut at 10), AP@R and the query's AUC, by sorting its
     * row (the query excluded) by similarity descending, ties by gallery index.
     */
    private static double[][] bruteForce(float[][] test, int[] y, int[] chosen) {
        UnitRows u = UnitRows.of(test, "t");
        float[][] sims = new float[test.length][];
        SimilarityScan.scan(u, u, (q, row, off, len) -> sims[q] = Arrays.copyOfRange(row, off, off + len));
        double[][] out = new double[6][chosen.length];
        for (int c = 0; c < chosen.length; c++) {
            int q = chosen[c];
            List<Integer> order = new ArrayList<>();
            for (int j = 0; j < test.length; j++) {
                if (j != q) {
                    order.add(j);
                }
            }
            float[] row = sims[q];
            order.sort((a, b) -> row[a] != row[b] ? Float.compare(row[b], row[a]) : Integer.compare(a, b));
            int relevant = 0;
            List<Float> pos = new ArrayList<>();
            List<Float> neg = new ArrayList<>();
            for (int j : order) {
                if (y[j] == y[q]) {
                    relevant++;
                    pos.add(row[j]);
                } else {
                    neg.add(row[j]);
                }
            }
            int first = 0;
            double precisionSum = 0;
            int hits = 0;
            for (int rank = 1; rank <= order.size(); rank++) {
                boolean rel = y[order.get(rank - 1)] == y[q];
                if (rel && first == 0) {
                    first = rank;
                }
                if (rank <= relevant && rel) {
                    hits++;
                    precisionSum += (double) hits / rank;
                }
            }
            out[0][c] = first == 1 ? 1 : 0;
            out[1][c] = first <= 5 ? 1 : 0;
            out[2][c] = first <= 10 ? 1 : 0;
            out[3][c] = first <= 10 ? 1.0 / first : 0;
            out[4][c] = precisionSum / relevant;
            double uStat = 0;
            for (float p : pos) {
                for (float ng : neg) {
                    uStat += p > ng ? 1 : p == ng ? 0.5 : 0;
                }
            }
            out[5][c] = uStat / ((double) pos.size() * neg.size());
        }
        return out;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    @Test
    void shouldComputeTheStandardErrorWithTheFinitePopulationCorrection() {
        // values 0, 1, 1, 0: mean 0.5, s^2 = 1/3; m = 4 of N = 10: sqrt((1 - 0.4) * (1/3) / 4) = sqrt(0.05)
        assertEquals(Math.sqrt(0.05), QuerySample.standardError(new double[] {0, 1, 1, 0}, 4, 10), 1e-15);
        assertEquals(0.0, QuerySample.standardError(new double[] {0, 1, 1, 0}, 4, 4), 0.0);
        assertTrue(Double.isNaN(QuerySample.standardError(new double[] {1}, 1, 10)));
    }

    @Test
    void shouldDrawDistinctSortedQueriesOnlyWhenSampling() {
        assertNull(QuerySample.choose(100, MetricSuite.ALL_QUERIES, 1L));
        assertNull(QuerySample.choose(100, 100, 1L));
        int[] c = QuerySample.choose(100, 30, 1L);
        assertEquals(30, Arrays.stream(c).distinct().count());
        assertArrayEquals(Arrays.stream(c).sorted().toArray(), c);
        assertArrayEquals(c, QuerySample.choose(100, 30, 1L));
        assertTrue(Arrays.stream(c).allMatch(i -> i >= 0 && i < 100));
    }

    @Test
    void shouldDefaultTheFastSuiteToASampleAndTheFullSuiteToEveryQuery() {
        assertEquals(MetricSuite.DEFAULT_FAST_QUERIES, MetricSuite.fast().queries());
        assertEquals(MetricSuite.ALL_QUERIES, MetricSuite.full().queries());
        assertTrue(MetricSuite.fast().samplesQueries(10_000));
        assertFalse(MetricSuite.fast().samplesQueries(2_000));
        assertFalse(MetricSuite.full().samplesQueries(10_000));
        assertEquals(7, MetricSuite.fast().withQueries(7).withSeed(9).queries());
        assertThrows(IllegalArgumentException.class, () -> MetricSuite.fast().withQueries(-1));
        assertTrue(MetricSuite.full().withMetrics(EnumSet.of(MetricSuite.Metric.KNN)).queries() == 0);
    }
}
