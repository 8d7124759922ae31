package io.contrastream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.contrastream.infra.TopicCatalog;
import io.contrastream.model.EncoderSpec;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.optim.OptimizerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkippedUpdateTest {
    @TempDir
    Path dir;

    @Test
    void shouldReportUpdatesTheDivergenceGuardSkippedWithTheirSamplesInTheSummary() {
        List<AugmentedView> views = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // finite pixels (they pass the view check) so large that the forward pass overflows: sample s2's batch
            // has a non-finite loss
            float fill = i == 2 ? Float.MAX_VALUE : i * 0.1f;
            views.add(ViewFixtures.view("run", "s" + i, 0, null, fill));
            views.add(ViewFixtures.view("run", "s" + i, 1, null, fill));
        }
        TrainerConfig config = TrainerConfig.builder().setRunId("run")
                .setCatalog(new TopicCatalog("t", 1, (short) 1)).setCheckpointDir(dir)
                .setEncoder(new EncoderSpec(EncoderSpec.Kind.MLP, ViewFixtures.SHAPE, List.of(16), 8, 4))
                .setLoss(LossConfig.of("infonce", 0.5f)).setOptimizer(OptimizerConfig.adam(1e-3f)).setSeed(1)
                .optBatchSize(2).build();
        TrainerSummary summary = TrainerWorker.fromSource(new InMemoryViewSource("views", List.of(views), 2),
                List.of(), config, new TrainerListener() { }).run();

        assertEquals(1, summary.skippedSteps());
        assertEquals(2, summary.skippedSamples());
        assertEquals(2, summary.steps(), "the other two batches update the parameters");
        assertEquals(4, summary.samples(), "skipped samples are not counted as trained");
    }
}
