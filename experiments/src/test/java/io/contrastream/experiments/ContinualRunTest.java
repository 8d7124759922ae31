package io.contrastream.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.data.Dataset;
import io.contrastream.data.SyntheticShapes;
import io.contrastream.data.augment.AugmentationPipeline;
import io.contrastream.data.augment.AugmentationPresets;
import io.contrastream.data.schedule.Task;
import io.contrastream.model.EncoderSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContinualRunTest {
    static {
        // Tiny networks: one PyTorch intra-op thread is faster than spinning threads that compete with other
        // processes on a shared machine (31 s vs 3 s for this class). Read when the engine first loads.
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    private static final Dataset TRAIN = new SyntheticShapes("train", 600, 1, 16, 16, 3);
    private static final Dataset TEST = new SyntheticShapes("test", 300, 1, 16, 16, 3);

    private static ContinualExperimentConfig config(BaselineMode mode) {
        return ContinualExperimentConfig.builder().setDataset("synthetic").optTaskSplit("0,7;8,5")
                .optEncoder(new EncoderSpec(EncoderSpec.Kind.MLP, new int[] {1, 16, 16}, List.of(64), 32, 16))
                .optEpochsPerTask(8).optOptimizer(io.contrastream.trainer.optim.OptimizerConfig.adam(3e-3f)).optBatchSize(16).optBufferSize(24).optReplayRatio(1.0).optAugmentation("none")
                .optFwtProbePerClass(5).optSeed(11).optBaseline(mode).build();
    }

    private static ContinualResult run(ContinualExperimentConfig config, List<double[]> rowsAtTaskEnd) {
        InMemoryTaskFeed feed = new InMemoryTaskFeed(TRAIN, config.epochsPerTask(), config.batchSize(),
                config.views(), AugmentationPipeline.of(AugmentationPresets.none()), config.seed());
        return ContinualRun.builder().setConfig(config).setFeed(feed).setTestSet(TEST).optProbeSet(TRAIN)
                .optListener(new ContinualListener() {
                    @Override
                    public void onTaskEnd(int phase, double[] row, double trainSeconds, double evalSeconds) {
                        assertEquals(rowsAtTaskEnd.size(), phase, "rows arrive in phase order");
                        rowsAtTaskEnd.add(row);
                    }
                }).build().run();
    }

    @Test
    void shouldFillOneRowPerTaskAndReplayShouldBeatFinetuneOnTheOldTask() {
        List<double[]> replayRows = new ArrayList<>();
        ContinualResult replay = run(config(BaselineMode.REPLAY), replayRows);
        List<double[]> finetuneRows = new ArrayList<>();
        ContinualResult finetune = run(config(BaselineMode.FINETUNE), finetuneRows);

        for (ContinualResult r : List.of(replay, finetune)) {
            assertEquals(2, r.accuracy().length);
            assertEquals(2, r.accuracy()[0].length);
            assertFalse(Double.isNaN(r.accuracy()[0][0]), "row 0 filled for task 0");
            assertTrue(Double.isNaN(r.accuracy()[0][1]), "task 1 not evaluated before it is trained");
            assertFalse(Double.isNaN(r.accuracy()[1][0]));
            assertFalse(Double.isNaN(r.accuracy()[1][1]));
            assertEquals(2, r.randomInit().length);
            assertFalse(Double.isNaN(r.probe()[0][1]), "FWT probe of the unseen task");
            assertTrue(r.forwardTransfer().isPresent());
            assertTrue(r.steps() > 0);
        }
        assertEquals(2, replayRows.size());
        assertEquals(replay.accuracy()[0][0], replayRows.get(0)[0]);
        assertEquals(Set.of(0, 5, 7, 8), replay.bufferByClass().keySet(), "replay keeps old classes");
        assertEquals(Set.of(5, 8), finetune.bufferByClass().keySet(), "finetune clears the buffer at task start");
        assertEquals(0.0, finetune.accuracy()[1][0], "finetune NME cannot predict the old classes");
        assertTrue(replay.accuracy()[1][0] > finetune.accuracy()[1][0] + 0.5,
                "replay keeps the old task: " + replay.accuracy()[1][0]);
        assertEquals(300, replay.sizes().test(), "sizes come from the datasets");
    }

    @Test
    void shouldTrainWithCo2lFromTheFirstTaskOn() {
        // the first task has no replay: its batches must still say so (rehearsal mask all false), or Co2L's
        // asymmetric SupCon refuses them
        for (String loss : List.of("co2l")) {
            ContinualExperimentConfig c = ContinualExperimentConfig.builder().setDataset("synthetic")
                    .optTaskSplit("0,7;8,5")
                    .optEncoder(new EncoderSpec(EncoderSpec.Kind.MLP, new int[] {1, 16, 16}, List.of(32), 16, 8))
                    .optEpochsPerTask(1).optBatchSize(16).optBufferSize(24).optReplayRatio(1.0)
                    .optAugmentation("none").optLoss(io.contrastream.trainer.loss.LossConfig.of(loss, 0.1f))
                    .optFwtProbePerClass(5).optSeed(3).optBaseline(BaselineMode.REPLAY).build();
            ContinualResult result = run(c, new ArrayList<>());
            assertTrue(result.steps() > 0, loss);
            assertFalse(Double.isNaN(result.accuracy()[1][0]), loss);
        }
    }

    @Test
    void shouldTrainJointlyInOnePhaseAndScoreEveryTask() {
        ContinualResult joint = run(config(BaselineMode.JOINT), new ArrayList<>());
        assertEquals(1, joint.accuracy().length);
        assertFalse(joint.sequential());
        assertFalse(Double.isNaN(joint.accuracy()[0][1]));
        assertTrue(joint.averageAccuracy().getAsDouble() > 0.5, "joint learns 4 shapes: " + java.util.Arrays.toString(joint.accuracy()[0]));
        assertEquals(Set.of(0, 5, 7, 8), joint.bufferByClass().keySet());
    }

    @Test
    void shouldStreamBatchesInTaskStreamOrderWithAllViews() {
        InMemoryTaskFeed feed = new InMemoryTaskFeed(TRAIN, 2, 7, 3,
                AugmentationPipeline.of(AugmentationPresets.forDigits()), 5);
        Task task = new Task(0, new java.util.TreeSet<>(Set.of(1, 2)));
        int samples = 0;
        var it = feed.batches(task);
        while (it.hasNext()) {
            FeedBatch b = it.next();
            assertEquals(3, b.views().views());
            b.samples().forEach(s -> assertTrue(task.contains(s.label())));
            samples += b.samples().size();
        }
        assertEquals(feed.expectedSamples(task), samples);
        assertEquals(2 * 120, samples, "2 epochs of the 60 + 60 samples of classes 1 and 2");
    }
}
