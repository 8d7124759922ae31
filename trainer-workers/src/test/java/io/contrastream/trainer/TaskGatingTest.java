package io.contrastream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.infra.TopicCatalog;
import io.contrastream.model.EncoderSpec;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.trainer.internal.TaskGate;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.optim.OptimizerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskGatingTest {
    @TempDir
    Path dir;

    private static List<AugmentedView> sample(String id, int task) {
        return List.of(ViewFixtures.view("run", id, 0, task, 0.1f), ViewFixtures.view("run", id, 1, task, 0.2f));
    }

    @Test
    void shouldTrainTaskByTaskWithPartialBatchesAtTaskEnds() {
        List<AugmentedView> p0 = new ArrayList<>();
        List<AugmentedView> p1 = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            p0.addAll(sample("a" + i, 0));
        }
        for (int i = 0; i < 4; i++) {
            p0.addAll(sample("b" + i, 1));
        }
        p1.addAll(sample("a5", 0));
        p1.addAll(sample("a6", 0));
        p1.addAll(sample("c0", 1));
        p1.addAll(sample("c1", 1));
        // task 0: 7 samples, B=4 -> one full batch + a partial batch of 3; task 1: 6 -> 4 + 2
        InMemoryViewSource source = new InMemoryViewSource("views", List.of(p0, p1), 3);
        TrainerConfig config = TrainerConfig.builder().setRunId("run")
                .setCatalog(new TopicCatalog("t", 2, (short) 1)).setCheckpointDir(dir)
                .setEncoder(new EncoderSpec(EncoderSpec.Kind.MLP, ViewFixtures.SHAPE, List.of(16), 8, 4))
                .setLoss(LossConfig.of("infonce", 0.5f)).setOptimizer(OptimizerConfig.adam(1e-3f)).setSeed(1)
                .optBatchSize(4).optStopAfterLastTask(true).build();
        Map<Long, List<String>> batches = new TreeMap<>();
        List<Integer> tasks = new ArrayList<>();
        TrainerListener listener = new TrainerListener() {
            @Override
            public void onStep(TrainerProgress progress) {
                tasks.add(progress.taskId());
            }

            @Override
            public void onBatchTrained(long step, List<ViewLocation> views) {
                List<String> ids = new ArrayList<>();
                for (ViewLocation v : views) {
                    ids.add((v.partition() == 0 ? p0 : p1).get((int) v.offset()).getSampleId().substring(0, 1));
                }
                batches.put(step, ids);
            }
        };
        TrainerSummary summary = TrainerWorker.fromSource(source,
                List.of(ViewFixtures.start("run", 0, 2, 7), ViewFixtures.start("run", 1, 2, 6)), config, listener)
                .run();
        assertEquals(TrainerSummary.StopReason.LAST_TASK, summary.reason());
        assertEquals(4, summary.steps());
        assertEquals(13, summary.samples());
        assertEquals(List.of(0, 0, 1, 1), tasks);
        assertEquals(8, batches.get(1L).size());
        assertEquals(6, batches.get(2L).size());
        assertTrue(batches.get(1L).stream().allMatch("a"::equals) && batches.get(2L).stream().allMatch("a"::equals),
                "task 0 batches hold task-0 samples only: " + batches);
        assertTrue(batches.get(3L).stream().noneMatch("a"::equals) && batches.get(4L).stream().noneMatch("a"::equals),
                "task 1 batches hold task-1 samples only: " + batches);
        assertEquals(4, batches.get(4L).size());
    }

    @Test
    void shouldRejectOutOfOrderTaskStarts() {
        TaskGate gate = new TaskGate("run");
        assertTrue(gate.accept(ViewFixtures.start("run", 0, 4, 10)));
        assertFalse(gate.accept(ViewFixtures.start("run", 2, 4, 10)), "START 2 after START 0 is out of order");
        assertFalse(gate.accept(ViewFixtures.start("run", 0, 4, 10)), "a repeated START is rejected");
        assertFalse(gate.accept(ViewFixtures.start("other", 1, 4, 10)), "other runs are ignored");
        assertTrue(gate.expectedSamples(2).isEmpty());
        assertTrue(gate.accept(ViewFixtures.start("run", 1, 4, 10)));
        assertEquals(10, gate.expectedSamples(1).getAsLong());
        assertFalse(gate.isLast(1));
    }
}
