package io.contrastream.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.infra.TopicCatalog;
import io.contrastream.model.EncoderSpec;
import io.contrastream.model.replay.ReplayBuffer;
import io.contrastream.model.replay.ReplayPolicy;
import io.contrastream.model.replay.ReplaySample;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.trainer.engine.TrainBatch;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.optim.OptimizerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTrainingTest {
    @TempDir
    Path dir;

    private static List<AugmentedView> sample(String id, int task, float base, boolean original) {
        AugmentedView v0 = ViewFixtures.view("run", id, 0, task, base);
        return List.of(original ? ViewFixtures.withOriginal(v0, base + 0.05f) : v0,
                ViewFixtures.view("run", id, 1, task, base + 0.01f));
    }

    private TrainerConfig config(ReplaySettings replay) {
        return config(replay, LossConfig.of("supcon", 0.5f));
    }

    private TrainerConfig config(ReplaySettings replay, LossConfig loss) {
        return TrainerConfig.builder().setRunId("run").setCatalog(new TopicCatalog("t", 1, (short) 1))
                .setCheckpointDir(dir)
                .setEncoder(new EncoderSpec(EncoderSpec.Kind.MLP, ViewFixtures.SHAPE, List.of(16), 8, 4))
                .setLoss(loss).setOptimizer(OptimizerConfig.adam(1e-3f)).setSeed(3)
                .optBatchSize(4).optStopAfterLastTask(true).optReplay(replay).build();
    }

    @Test
    void shouldReplayEarlierSamplesWithARehearsalMaskAndKeepSamplesOfBothTasks() {
        List<AugmentedView> views = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            views.addAll(sample("a" + i, 0, i / 100f, true));
        }
        for (int i = 0; i < 8; i++) {
            // b7 has no original: trained, but never stored
            views.addAll(sample("b" + i, 1, 0.5f + i / 100f, i != 7));
        }
        InMemoryViewSource source = new InMemoryViewSource("views", List.of(views), 5);
        Map<Long, boolean[]> masks = new TreeMap<>();
        Map<Integer, Set<Integer>> storedTasksAtEnd = new TreeMap<>();
        Map<Integer, Long> seenAtEnd = new TreeMap<>();
        TrainerListener listener = new TrainerListener() {
            @Override
            public void onBatch(long step, TrainBatch batch) {
                masks.put(step, batch.rehearsalMask().orElseThrow().clone());
                assertEquals(batch.batchSize(), batch.labels().orElseThrow().length);
            }

            @Override
            public void onTaskEnd(int taskId, long step, Optional<ReplayBuffer> replay) {
                Set<Integer> tasks = new TreeSet<>();
                replay.orElseThrow().exemplars().forEach(s -> tasks.add(s.taskId()));
                storedTasksAtEnd.put(taskId, tasks);
                seenAtEnd.put(taskId, replay.orElseThrow().seen());
                for (ReplaySample s : replay.orElseThrow().exemplars()) {
                    assertTrue(s.sampleId().startsWith(s.taskId() == 0 ? "a" : "b"), s.sampleId());
                    int index = Integer.parseInt(s.sampleId().substring(1));
                    float base = (s.taskId() == 0 ? 0f : 0.5f) + index / 100f + 0.05f;
                    assertEquals(base + 9 / 1000f, s.image().pixels()[9], 1e-6f, "stores the original, not a view");
                }
            }
        };
        TrainerSummary summary = TrainerWorker.fromSource(source,
                List.of(ViewFixtures.start("run", 0, 2, 8), ViewFixtures.start("run", 1, 2, 8)),
                config(ReplaySettings.of(6, ReplayPolicy.RESERVOIR)), listener).run();

        assertEquals(TrainerSummary.StopReason.LAST_TASK, summary.reason());
        assertEquals(4, summary.steps());
        assertEquals(16, summary.samples(), "replayed samples are not counted as stream samples");
        // step 1: empty buffer, R = 0; step 2: 4 stored, R = min(round(0.5 * 4), 4) = 2; steps 3, 4: 6 stored, R = 2
        assertArrayEquals(new boolean[] {false, false, false, false}, masks.get(1L));
        boolean[] withReplay = {false, false, false, false, true, true};
        for (long step = 2; step <= 4; step++) {
            assertArrayEquals(withReplay, masks.get(step), "step " + step);
        }
        assertEquals(Set.of(0), storedTasksAtEnd.get(0));
        assertEquals(8L, seenAtEnd.get(0));
        assertEquals(Set.of(0, 1), storedTasksAtEnd.get(1), "after two tasks the buffer holds samples of both");
        assertEquals(15L, seenAtEnd.get(1), "the sample without an original was not offered");
    }

    @Test
    void shouldTrainEveryTaskWithASelfSupervisedLossPlusTheRehearsalSupConTerm() {
        List<AugmentedView> views = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            views.addAll(sample("a" + i, 0, i / 100f, true));
        }
        for (int i = 0; i < 8; i++) {
            views.addAll(sample("b" + i, 1, 0.5f + i / 100f, true));
        }
        List<Integer> replayedPerStep = new ArrayList<>();
        TrainerListener listener = new TrainerListener() {
            @Override
            public void onBatch(long step, TrainBatch batch) {
                int replayed = 0;
                for (boolean b : batch.rehearsalMask().orElseThrow()) {
                    replayed += b ? 1 : 0;
                }
                replayedPerStep.add(replayed);
            }
        };
        LossConfig loss = new LossConfig("infonce", 0.5f, Map.of("rehearsal.weight", "1"));
        TrainerSummary summary = TrainerWorker.fromSource(new InMemoryViewSource("views", List.of(views), 5),
                List.of(ViewFixtures.start("run", 0, 2, 8), ViewFixtures.start("run", 1, 2, 8)),
                config(ReplaySettings.of(6, ReplayPolicy.RESERVOIR), loss), listener).run();
        assertEquals(TrainerSummary.StopReason.LAST_TASK, summary.reason());
        assertEquals(4, summary.steps());
        assertEquals(0, summary.skippedSteps(), "the first task trains on the base loss alone");
        assertEquals(List.of(0, 2, 2, 2), replayedPerStep);

        IllegalArgumentException noReplay = assertThrows(IllegalArgumentException.class,
                () -> config(ReplaySettings.off(), loss));
        assertTrue(noReplay.getMessage().contains("TrainerConfig.loss") && noReplay.getMessage().contains("replay"),
                noReplay.getMessage());
    }

    @Test
    void shouldTrainWithoutReplayByDefault() {
        List<AugmentedView> views = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            views.addAll(sample("a" + i, 0, i / 100f, true));
        }
        List<Integer> sizes = new ArrayList<>();
        TrainerListener listener = new TrainerListener() {
            @Override
            public void onBatch(long step, TrainBatch batch) {
                sizes.add(batch.batchSize());
                assertTrue(batch.rehearsalMask().isEmpty());
            }

            @Override
            public void onTaskEnd(int taskId, long step, Optional<ReplayBuffer> replay) {
                assertTrue(replay.isEmpty());
            }
        };
        TrainerWorker.fromSource(new InMemoryViewSource("views", List.of(views), 5),
                List.of(ViewFixtures.start("run", 0, 1, 8)), config(ReplaySettings.off()), listener).run();
        assertEquals(List.of(4, 4), sizes);
    }

    @Test
    void shouldRejectInvalidReplaySettingsNamingTheField() {
        IllegalArgumentException capacity = assertThrows(IllegalArgumentException.class,
                () -> ReplaySettings.of(-1, ReplayPolicy.RESERVOIR));
        assertTrue(capacity.getMessage().contains("ReplaySettings.capacity"), capacity.getMessage());
        IllegalArgumentException ratio = assertThrows(IllegalArgumentException.class,
                () -> ReplaySettings.of(8, ReplayPolicy.RESERVOIR).withRatio(Double.NaN));
        assertTrue(ratio.getMessage().contains("ReplaySettings.ratio"), ratio.getMessage());
        IllegalArgumentException preset = assertThrows(IllegalArgumentException.class,
                () -> ReplaySettings.of(8, ReplayPolicy.RESERVOIR).withAugmentation("sepia"));
        assertTrue(preset.getMessage().contains("sepia"), preset.getMessage());
        assertEquals("digits", ReplaySettings.of(8, ReplayPolicy.RESERVOIR).presetFor(1));
        assertEquals("natural", ReplaySettings.of(8, ReplayPolicy.RESERVOIR).presetFor(3));
        assertEquals("none", ReplaySettings.of(8, ReplayPolicy.RESERVOIR).withAugmentation("none").presetFor(1));
    }
}
