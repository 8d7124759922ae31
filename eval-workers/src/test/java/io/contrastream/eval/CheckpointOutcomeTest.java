package io.contrastream.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.contrastream.eval.metrics.MetricValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointOutcomeTest {

    @Test
    void shouldMarkSampledQueryValuesAsEstimatesInTheSummaryLine() {
        CheckpointOutcome.Evaluated sampled = new CheckpointOutcome.Evaluated("r", 200, 0, "fast", List.of(
                new MetricValue("recall@1", 0.8125, "test", Map.of("queries", "2000")),
                new MetricValue("auc", 0.75, "test", Map.of("mode", "pooled", "queries", "2000")),
                new MetricValue("knn-accuracy", 0.5, "test", Map.of("queries", "2000"))), Duration.ofMillis(820), "");
        assertEquals("run r step 200 [fast] 0.82s  recall@1 0.8125  auc 0.7500  knn 0.5000"
                + "  (estimates over 2000 sampled queries)", sampled.summaryLine());
        CheckpointOutcome.Evaluated exact = new CheckpointOutcome.Evaluated("r", 200, 0, "full", List.of(
                MetricValue.of("recall@1", 0.8125, "test"),
                new MetricValue("auc", 0.75, "test", Map.of("mode", "pooled")),
                MetricValue.of("knn-accuracy", 0.5, "test")), Duration.ofMillis(7400), "");
        assertEquals("run r step 200 [full] 7.40s  recall@1 0.8125  auc 0.7500  knn 0.5000", exact.summaryLine());
    }
}
