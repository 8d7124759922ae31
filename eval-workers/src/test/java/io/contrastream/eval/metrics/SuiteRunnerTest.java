package io.contrastream.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SuiteRunnerTest {

    private static float[][] clusters(int n, int dim, int classes, long seed, int[] labels) {
        Random rnd = new Random(seed);
        float[][] x = new float[n][dim];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int k = 0; k < dim; k++) {
                x[i][k] = (float) rnd.nextGaussian() + (k == labels[i] ? 3f : 0f);
            }
        }
        return x;
    }

    private static double value(List<MetricValue> values, String name) {
        return values.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow().value();
    }

    @Test
    void shouldComputeFastSuiteAsTheIndividualMetricsAndReportProgress() {
        int[] trainY = new int[120];
        int[] testY = new int[60];
        float[][] train = clusters(120, 6, 3, 1, trainY);
        float[][] test = clusters(60, 6, 3, 2, testY);
        List<String> progress = new ArrayList<>();
        List<MetricValue> values = new SuiteRunner(MetricSuite.fast()).run(
                SuiteRunner.Input.of(train, trainY, test, testY, "test"),
                (stage, done, total) -> progress.add(stage + " " + done + "/" + total));
        assertEquals(List.of("recall@1", "recall@5", "recall@10", "mrr@10", "map@r", "auc", "auc-per-query",
                "knn-accuracy"), values.stream().map(MetricValue::name).toList());
        assertEquals(List.of("start 0/3", "retrieval 1/3", "auc 2/3", "knn 3/3"), progress);
        RetrievalMetrics.Result r = new RetrievalMetrics().evaluate(test, testY);
        assertEquals(r.recallAt(1), value(values, "recall@1"), 0.0);
        assertEquals(r.mapAtR(), value(values, "map@r"), 0.0);
        assertEquals(new PairAuc().pooled(test, testY).auc(), value(values, "auc"), 0.0);
        assertEquals(new WeightedKnn().evaluate(train, trainY, test, testY).accuracy(), value(values, "knn-accuracy"),
                0.0);
        MetricValue auc = values.get(5);
        assertEquals(Map.of("mode", "pooled", "pairs", "1770", "sampled", "false"), auc.labels());
        assertTrue(values.stream().allMatch(v -> v.split().equals("test")));
    }

    @Test
    void shouldRunFullSuiteIncludingRobustnessWhenAnEncoderIsGiven() {
        int[] trainY = new int[40];
        int[] testY = new int[20];
        float[][] trainImages = clusters(40, 4, 2, 3, trainY);
        float[][] testImages = clusters(20, 4, 2, 4, testY);
        for (float[][] set : List.of(trainImages, testImages)) {
            for (float[] img : set) {
                for (int k = 0; k < img.length; k++) {
                    img[k] = Math.min(1f, Math.max(0f, 0.5f + img[k] / 8));
                }
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock encoder = new SequentialBlock().add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(3).build());
            encoder.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 2, 2));
            ImageSet test = new ImageSet(testImages, 1, 2, 2);
            io.contrastream.eval.metrics.internal.BlockEmbedder embedder =
                    new io.contrastream.eval.metrics.internal.BlockEmbedder(manager, encoder, 1, 2, 2, 16);
            float[][] trainEmb = embedder.embed(trainImages);
            float[][] testEmb = embedder.embed(testImages);
            MetricSuite suite = MetricSuite.full().withAdversarial(new AdversarialRobustness.Config(
                    List.of(AdversarialRobustness.Attack.FGSM, AdversarialRobustness.Attack.PGD),
                    List.of(0.0, 0.1), 3, 2.5, true, 0L, 16));
            List<MetricValue> values = new SuiteRunner(suite).run(SuiteRunner.Input.of(trainEmb, trainY, testEmb,
                    testY, "test").withRobustness(new SuiteRunner.RobustnessInput(manager, encoder, test, testY)),
                    SuiteRunner.ProgressListener.none());
            // 5 retrieval + 2 AUC + kNN + probe + NME + 2 align/uniform + 2 attacks x 2 eps x 2 + 2 x 5 corruption
            assertEquals(5 + 2 + 1 + 1 + 1 + 2 + 8 + 10, values.size());
            double probe = value(values, "linear-probe-accuracy");
            MetricValue cleanPgd = values.stream().filter(v -> v.name().equals("robust-accuracy")
                    && v.labels().equals(Map.of("attack", "pgd-3", "epsilon", "0.0"))).findFirst().orElseThrow();
            assertEquals(probe, cleanPgd.value(), 0.0);
            assertEquals(10, values.stream().filter(v -> v.name().equals("corruption-accuracy")).count());
        }
    }

    @Test
    void shouldSkipRobustnessWithoutImages() {
        int[] y = new int[30];
        float[][] x = clusters(30, 4, 3, 5, y);
        List<MetricValue> values = new SuiteRunner(MetricSuite.full()).run(SuiteRunner.Input.of(x, y, x, y, "val"),
                SuiteRunner.ProgressListener.none());
        assertEquals(12, values.size());
        assertTrue(values.stream().noneMatch(v -> v.name().startsWith("robust") || v.name().startsWith("corr")));
    }

    @Test
    void shouldResolveSuitesByNameAndRejectUnknownOnes() {
        assertEquals(MetricSuite.fast(), MetricSuite.named("FAST"));
        assertEquals(8, MetricSuite.named("full").metrics().size());
        assertThrows(IllegalArgumentException.class, () -> MetricSuite.named("medium"));
    }

    @Test
    void shouldKeepMetricValueLabelsSortedAndImmutable() {
        MetricValue v = new MetricValue("robust-accuracy", 0.5, "test", Map.of("epsilon", "0.1", "attack", "pgd-10"));
        assertEquals(List.of("attack", "epsilon"), new ArrayList<>(v.labels().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> v.labels().put("x", "y"));
        assertThrows(IllegalArgumentException.class, () -> MetricValue.of(" ", 1, "test"));
    }
}
