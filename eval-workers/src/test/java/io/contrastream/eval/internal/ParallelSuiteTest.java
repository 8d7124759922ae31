package io.contrastream.eval.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.contrastream.eval.metrics.MetricSuite;
import io.contrastream.eval.metrics.MetricValue;
import io.contrastream.eval.metrics.SuiteRunner;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelSuiteTest {

    private static float[][] points(int n, int d, int[] labels, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] x = new float[n][d];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 4;
            for (int k = 0; k < d; k++) {
                x[i][k] = (float) rng.nextGaussian() + (k == labels[i] ? 2f : 0f);
            }
        }
        return x;
    }

    private static Map<String, Double> byKey(List<MetricValue> values) {
        Map<String, Double> out = new TreeMap<>();
        values.forEach(v -> out.put(v.name() + v.labels(), v.value()));
        return out;
    }

    @Test
    void shouldGiveTheSameValuesOnSeveralThreadsAsOnOne() {
        int[] trainLabels = new int[120];
        int[] testLabels = new int[80];
        SuiteRunner.Input input = SuiteRunner.Input.of(points(120, 6, trainLabels, 1), trainLabels,
                points(80, 6, testLabels, 2), testLabels, "test");
        MetricSuite suite = MetricSuite.full().withMetrics(EnumSet.of(MetricSuite.Metric.RETRIEVAL,
                MetricSuite.Metric.AUC, MetricSuite.Metric.KNN, MetricSuite.Metric.LINEAR_PROBE,
                MetricSuite.Metric.NME));
        AtomicInteger last = new AtomicInteger();
        Map<String, Double> parallel = byKey(new ParallelSuite(suite, 3).run(input,
                (stage, done, total) -> last.set(done)));
        Map<String, Double> sequential = byKey(new ParallelSuite(suite, 1).run(input,
                SuiteRunner.ProgressListener.none()));
        assertEquals(sequential, parallel);
        assertEquals(5, last.get());
    }
}
