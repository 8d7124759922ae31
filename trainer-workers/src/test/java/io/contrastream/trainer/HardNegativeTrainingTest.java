package io.contrastream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.infra.TopicCatalog;
import io.contrastream.model.EncoderSpec;
import io.contrastream.model.replay.ReplayPolicy;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.Candidate;
import io.contrastream.schemas.HardNegativeSet;
import io.contrastream.trainer.engine.TrainBatch;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.optim.OptimizerConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardNegativeTrainingTest {
    private static final int SIZE = ViewFixtures.SHAPE[0] * ViewFixtures.SHAPE[1] * ViewFixtures.SHAPE[2];

    @TempDir
    Path dir;

    /** Sample s{i} of label i % 3: view 0 pixels i/10 + k/1000, view 1 +0.01, original (view 0) +0.05. */
    static List<AugmentedView> sample(String run, int i) {
        float base = i / 10f;
        AugmentedView v0 = ViewFixtures.withOriginal(ViewFixtures.view(run, "s" + i, 0, null, base), base + 0.05f);
        AugmentedView v1 = ViewFixtures.view(run, "s" + i, 1, null, base + 0.01f);
        v0.setLabel(i % 3);
        v1.setLabel(i % 3);
        return List.of(v0, v1);
    }

    static HardNegativeSet set(String run, String anchor, long step, String... candidates) {
        return HardNegativeSet.newBuilder().setRunId(run).setAnchorId(anchor).setMinedWithStep(step)
                .setMinedAt(Instant.ofEpochMilli(0))
                .setCandidates(Arrays.stream(candidates).map(c -> new Candidate(c, 0.9f)).toList()).build();
    }

    /** The sample index of batch row {@code row}, from its view-0 pixels. */
    static int rowSample(TrainBatch batch, int row) {
        return Math.round(batch.pixels()[row * SIZE] * 10);
    }

    /** The sample index of negative {@code j} of row {@code row}, from the cached original's pixels. */
    static int negativeSample(TrainBatch batch, int row, int j) {
        float[] negatives = batch.negativePixels().orElseThrow();
        int offset = (row * batch.negativesPerSample() + j) * SIZE;
        int index = Math.round((negatives[offset] - 0.05f) * 10);
        assertEquals(index / 10f + 0.05f + 9 / 1000f, negatives[offset + 9], 1e-6f, "a cached original");
        return index;
    }

    private TrainerConfig.Builder config(LossConfig loss) {
        return TrainerConfig.builder().setRunId("run").setCatalog(new TopicCatalog("t", 1, (short) 1))
                .setCheckpointDir(dir)
                .setEncoder(new EncoderSpec(EncoderSpec.Kind.MLP, ViewFixtures.SHAPE, List.of(16), 8, 4))
                .setLoss(loss).setOptimizer(OptimizerConfig.adam(1e-3f)).setSeed(3).optBatchSize(4)
                .optHardNegatives(2);
    }

    @Test
    void shouldJoinMinedCandidatesFromTheCacheAndFillTheRest() {
        List<AugmentedView> views = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            views.addAll(sample("run", i));
        }
        InMemoryHardNegativeSource negatives = new InMemoryHardNegativeSource(List.of(
                // s4 (label 1): itself, s7 (not cached yet at step 2), s1 (label 1) are skipped -> s2, s0
                set("run", "s4", 20, "s4", "s7", "s1", "s2", "s0"),
                set("run", "s4", 10, "s3", "s5"),        // older: ignored
                set("run", "s6", 20, "s1"),              // s6 (label 0): s1 mined, the other drawn: only s2 is left
                set("other", "s5", 30, "s0", "s3")));    // another run: s5 gets drawn negatives only
        Map<Long, TrainBatch> batches = new TreeMap<>();
        TrainerListener listener = new TrainerListener() {
            @Override
            public void onBatch(long step, TrainBatch batch) {
                batches.put(step, batch);
            }
        };
        TrainerSummary summary = TrainerWorker.fromSource(new InMemoryViewSource("views", List.of(views), 5),
                List.of(), negatives, config(LossConfig.of("infonce", 0.5f)).build(), listener).run();

        assertEquals(3, summary.steps());
        assertFalse(batches.get(1L).negativePixels().isPresent(), "step 1: nothing cached yet, no negatives");
        for (long step = 2; step <= 3; step++) {
            TrainBatch batch = batches.get(step);
            assertEquals(2, batch.negativesPerSample());
            assertEquals(4 * 2 * SIZE, batch.negativePixels().orElseThrow().length, "[N*M] negatives");
            for (int row = 0; row < 4; row++) {
                int sample = rowSample(batch, row);
                for (int j = 0; j < 2; j++) {
                    int negative = negativeSample(batch, row, j);
                    assertNotEquals(sample % 3, negative % 3, "step " + step + " row " + row + ": another label");
                    assertTrue(negative < 4 * (step - 1), "only trained samples are cached: " + negative);
                }
            }
        }
        TrainBatch step2 = batches.get(2L);
        assertEquals(List.of(4, 5, 6, 7), List.of(rowSample(step2, 0), rowSample(step2, 1), rowSample(step2, 2),
                rowSample(step2, 3)));
        assertEquals(List.of(2, 0), List.of(negativeSample(step2, 0, 0), negativeSample(step2, 0, 1)), "s4 mined");
        assertEquals(List.of(1, 2), List.of(negativeSample(step2, 2, 0), negativeSample(step2, 2, 1)),
                "s6: mined s1, then the only other cached sample of another label");
        assertEquals(3, summary.negativesMined());
        assertEquals(2 * 4 * 2 - 3, summary.negativesFilled());
    }

    @Test
    void shouldGiveReplayedRowsNegativesToo() {
        List<AugmentedView> views = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            views.addAll(sample("run", i));
        }
        List<TrainBatch> batches = new ArrayList<>();
        TrainerListener listener = new TrainerListener() {
            @Override
            public void onBatch(long step, TrainBatch batch) {
                batches.add(batch);
            }
        };
        TrainerSummary summary = TrainerWorker.fromSource(new InMemoryViewSource("views", List.of(views), 5),
                List.of(), new InMemoryHardNegativeSource(List.of(set("run", "s9", 1, "s4"))),
                config(LossConfig.of("supcon", 0.5f)).optReplay(ReplaySettings.of(6, ReplayPolicy.RESERVOIR))
                        .build(), listener).run();

        assertEquals(4, summary.steps());
        assertEquals(1, summary.negativesMined(), "s9 (step 3) gets its mined s4");
        for (TrainBatch batch : batches.subList(1, 4)) {
            int n = batch.batchSize();
            assertEquals(6, n, "4 current + 2 replayed");
            assertEquals(n * 2 * SIZE, batch.negativePixels().orElseThrow().length);
            long[] labels = batch.labels().orElseThrow();
            for (int row = 0; row < n; row++) {
                for (int j = 0; j < 2; j++) {
                    assertNotEquals(labels[row], negativeSample(batch, row, j) % 3, "row " + row);
                }
            }
        }
    }

    @Test
    void shouldValidateTheHardNegativeOptions() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> config(LossConfig.of("infonce", 0.5f)).optHardNegatives(-1).build());
        assertTrue(negative.getMessage().startsWith("TrainerConfig.hardNegatives must be >= 0"),
                negative.getMessage());
        IllegalArgumentException loss = assertThrows(IllegalArgumentException.class,
                () -> config(LossConfig.of("rehearsal-supcon", 0.5f))
                        .optReplay(ReplaySettings.of(6, ReplayPolicy.RESERVOIR)).build());
        assertTrue(loss.getMessage().startsWith("TrainerConfig.loss ignores explicit negatives"), loss.getMessage());
        IllegalArgumentException cache = assertThrows(IllegalArgumentException.class,
                () -> config(LossConfig.of("infonce", 0.5f)).optNegativeCacheSize(2).build());
        assertTrue(cache.getMessage().startsWith("TrainerConfig.negativeCacheSize must be > hardNegatives = 2"),
                cache.getMessage());
        TrainerConfig off = config(LossConfig.of("co2l", 0.5f)).optHardNegatives(0)
                .optReplay(ReplaySettings.of(6, ReplayPolicy.RESERVOIR)).build();
        assertEquals("0", off.toMap().get("hardNegatives"), "any loss when off");
    }
}
