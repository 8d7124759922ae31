package io.contrastream.experiments;

import io.contrastream.eval.CheckpointOutcome;
import io.contrastream.eval.MetricKeys;
import io.contrastream.eval.aggregate.MetricsQueries;
import io.contrastream.eval.metrics.MetricValue;
import io.contrastream.infra.TopicCatalog;
import io.contrastream.infra.testing.SharedKafka;
import io.contrastream.producers.MiningOutcome;
import io.contrastream.schemas.CheckpointEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer, the evaluator and the hard-negative miner on one broker: every announced checkpoint's metrics land once
 * in the table view, the miner mines the last checkpoint, and the trainer joins explicit negatives.
 */
class TrainerEvaluatorIT {
    static {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    @Test
    void shouldPutEveryAnnouncedCheckpointsSuiteExactlyOnceIntoTheTables(@TempDir Path work) throws Exception {
        TopicCatalog catalog = SharedKafka.freshCatalog(2);
        String run = "it-" + catalog.prefix();
        List<CheckpointEvent> announced = new CopyOnWriteArrayList<>();
        List<CheckpointOutcome> outcomes = new CopyOnWriteArrayList<>();
        DemoPipeline.Config config = new DemoPipeline.Config("synthetic", work.resolve("data"), work.resolve("ckpt"),
                work.resolve("state"), run, "0,1;2,3", 64, 1, 16, 3, 32, 2, 200, 0, -1, 5);
        try (DemoPipeline pipeline = new DemoPipeline(SharedKafka.cluster(), catalog, config,
                new DemoPipeline.Listener() {
                    @Override
                    public void onCheckpoint(CheckpointEvent checkpoint) {
                        announced.add(checkpoint);
                    }

                    @Override
                    public void onEvaluated(CheckpointOutcome outcome) {
                        outcomes.add(outcome);
                    }
                })) {
            DemoPipeline.Result result = pipeline.run();
            assertEquals(announced.size(), result.checkpoints());
            assertTrue(announced.size() >= 3, "periodic and task-end checkpoints: " + announced.size());
            assertEquals(announced.size(), outcomes.size(), "one outcome per announced checkpoint");
            long lastStep = announced.get(announced.size() - 1).getStep();
            assertTrue(result.mined().stream().anyMatch(o -> o instanceof MiningOutcome.Mined m
                    && m.step() == lastStep && m.negatives() == 2), "the miner mined the last checkpoint: "
                    + result.mined());
            assertTrue(result.trained().negativesMined() + result.trained().negativesFilled() > 0,
                    "the trainer joined explicit negatives: " + result.trained());

            Map<String, Double> expected = new HashMap<>();
            Set<Long> steps = new HashSet<>();
            for (CheckpointOutcome outcome : outcomes) {
                CheckpointOutcome.Evaluated evaluated = (CheckpointOutcome.Evaluated) outcome;
                steps.add(evaluated.step());
                assertFalse(evaluated.metrics().isEmpty());
                for (MetricValue m : evaluated.metrics()) {
                    expected.put(MetricKeys.of(run, evaluated.step(), m.name(), m.labels(), m.split()), m.value());
                }
            }
            assertEquals(announced.stream().map(CheckpointEvent::getStep).collect(java.util.stream.Collectors.toSet()),
                    steps, "every announced step evaluated");
            assertTrue(expected.keySet().stream().anyMatch(k -> k.contains("cl-accuracy")),
                    "task-end checkpoints carry the replay buffer, so class-incremental accuracy is published");

            MetricsQueries queries = pipeline.aggregator().queries();
            long deadline = System.nanoTime() + 60_000_000_000L;
            List<MetricsQueries.MetricView> table = List.of();
            while (System.nanoTime() < deadline) {
                try {
                    table = queries.metrics(run);
                    if (table.size() >= expected.size()) {
                        break;
                    }
                } catch (RuntimeException storeNotReady) {
                    // The Streams app may still be restoring; ask again.
                }
                Thread.sleep(200);
            }
            Map<String, Double> actual = new HashMap<>();
            for (MetricsQueries.MetricView view : table) {
                assertEquals(null, actual.put(view.key(), view.value()), "one row per key: " + view.key());
            }
            assertEquals(expected, actual, "the table holds exactly the published suite values, once each");
        }
    }
}
