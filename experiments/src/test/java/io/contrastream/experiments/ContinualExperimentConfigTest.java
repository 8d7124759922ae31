package io.contrastream.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.model.replay.ReplayPolicy;
import io.contrastream.trainer.loss.LossConfig;
import org.junit.jupiter.api.Test;

class ContinualExperimentConfigTest {

    @Test
    void shouldApplyDefaultsOfTheBuilder() {
        ContinualExperimentConfig c = ContinualExperimentConfig.builder().setDataset("mnist").build();
        assertEquals(5, c.tasks());
        assertEquals(BaselineMode.REPLAY, c.baseline());
        assertEquals(EvaluationClassifier.NME, c.classifier());
        assertEquals("supcon", c.loss().name());
        assertEquals(c.replayRatio(), c.effectiveReplayRatio());
    }

    @Test
    void shouldRejectInvalidFieldsNamingThem() {
        assertMessage("dataset", () -> ContinualExperimentConfig.builder().build());
        assertMessage("epochsPerTask", () -> base().optEpochsPerTask(0).build());
        assertMessage("bufferSize", () -> base().optBufferSize(0).build());
        assertMessage("replayRatio", () -> base().optReplayRatio(-0.5).build());
        assertMessage("replayRatio", () -> base().optReplayRatio(Double.NaN).build());
        assertMessage("batchSize", () -> base().optBatchSize(0).build());
        assertMessage("tasks", () -> base().optTasks(0).build());
        assertMessage("augmentation", () -> base().optAugmentation("sepia").build());
        assertMessage("knnK", () -> base().optKnnK(0).build());
        assertMessage("fwtProbePerClass", () -> base().optFwtProbePerClass(-1).build());
        assertMessage("views", () -> base().optLoss(LossConfig.of("infonce", 0.2f)).optViews(1).build());
    }

    @Test
    void shouldNotReplayInBaselineModes() {
        ContinualExperimentConfig c = base().optReplayRatio(2.0).build();
        assertEquals(0.0, c.withBaseline(BaselineMode.FINETUNE).effectiveReplayRatio());
        assertEquals(0.0, c.withBaseline(BaselineMode.JOINT).effectiveReplayRatio());
        assertEquals(2.0, c.effectiveReplayRatio());
    }

    @Test
    void shouldBuildThePublishedPresets() {
        assertEquals(2000, ContinualExperimentConfig.preset("split-mnist").build().bufferSize());
        ContinualExperimentConfig online = ContinualExperimentConfig.preset("split-mnist-online").build();
        assertEquals(1, online.epochsPerTask());
        assertEquals(1000, online.bufferSize());
        assertEquals(ReplayPolicy.CLASS_BALANCED, online.bufferPolicy());
        assertEquals(32, online.batchSize());
        assertEquals(10, online.stepsPerBatch());
        assertEquals(EvaluationClassifier.KNN, online.classifier());
        assertEquals(20, online.knnK());
        assertEquals("digits", online.augmentation());
        assertEquals("fashion-mnist", ContinualExperimentConfig.preset("split-fashion").build().dataset());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContinualExperimentConfig.preset("split-cifar"));
        assertTrue(e.getMessage().contains("split-mnist-online"), e.getMessage());
    }

    @Test
    void shouldRoundTripThroughToBuilder() {
        ContinualExperimentConfig c = base().optSeed(7).optTaskSplit("0,1;2,3").build();
        assertEquals(c, c.toBuilder().build());
        assertEquals("0,1;2,3", c.toMap().get("taskSplit"));
        assertEquals("reservoir", c.toMap().get("bufferPolicy"));
    }

    private static ContinualExperimentConfig.Builder base() {
        return ContinualExperimentConfig.builder().setDataset("mnist");
    }

    private static void assertMessage(String field, org.junit.jupiter.api.function.Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(field), "message should name " + field + ": " + e.getMessage());
    }
}
