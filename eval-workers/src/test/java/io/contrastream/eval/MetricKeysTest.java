package io.contrastream.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.eval.metrics.MetricValue;
import io.contrastream.schemas.MetricRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricKeysTest {

    @Test
    void shouldFormatRunStepMetricSplitWithoutLabels() {
        assertEquals("run-7/400/recall@1/test", MetricKeys.of("run-7", 400, "recall@1", Map.of(), "test"));
    }

    @Test
    void shouldSortLabelsByNameWhateverTheirOrder() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("tau", "0.07");
        labels.put("k", "200");
        assertEquals("r/1/knn-accuracy[k=200,tau=0.07]/test", MetricKeys.of("r", 1, "knn-accuracy", labels, "test"));
    }

    @Test
    void shouldEscapeSeparatorsInsideComponents() {
        String key = MetricKeys.of("team/a", 3, "m", Map.of("x", "a=b,c]"), "te%st");
        assertEquals("team%2Fa/3/m[x=a%3Db%2Cc%5D]/te%25st", key);
        assertTrue(key.startsWith(MetricKeys.runPrefix("team/a")));
    }

    @Test
    void shouldGiveTheSameKeyToARepublishedValueAndADifferentKeyToAnotherLabel() {
        MetricRecord first = EvaluationRecords.ok("r", 10, 0, new MetricValue("cl-accuracy", 0.5, "test",
                Map.of("task", "1")), Instant.EPOCH);
        MetricRecord again = EvaluationRecords.ok("r", 10, 0, new MetricValue("cl-accuracy", 0.6, "test",
                Map.of("task", "1")), Instant.now());
        MetricRecord other = EvaluationRecords.ok("r", 10, 0, new MetricValue("cl-accuracy", 0.6, "test",
                Map.of("task", "0")), Instant.now());
        assertEquals(MetricKeys.of(first), MetricKeys.of(again));
        assertEquals("r/10/cl-accuracy[task=1]/test", MetricKeys.of(first));
        assertEquals("r/10/cl-accuracy[task=0]/test", MetricKeys.of(other));
    }

    @Test
    void shouldNameTheSeriesWithoutRunStepAndSplit() {
        assertEquals("auc[mode=pooled]", MetricKeys.series("auc", Map.of("mode", "pooled")));
        assertEquals("recall@1", MetricKeys.series("recall@1", Map.of()));
    }

    @Test
    void shouldKeyAFailureRecordByItsReason() {
        MetricRecord failed = EvaluationRecords.failed("r", 5, 1, new CheckpointFailure(
                CheckpointFailure.Reason.HASH_MISMATCH, "parameters", "x"), Instant.EPOCH);
        assertEquals("r/5/evaluation[reason=hash-mismatch]/test", MetricKeys.of(failed));
        assertTrue(Double.isNaN(failed.getValue()));
    }
}
