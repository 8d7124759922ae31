package io.contrastream.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.infra.TopicCatalog;
import io.contrastream.model.EncoderSpec;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.trainer.engine.TrainBatch;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.optim.OptimizerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadAheadTest {
    private static final int BATCH = 2;
    private static final int SAMPLES = 41;

    @TempDir
    Path dir;

    /** Hands out one sample (two views) per poll and records how many samples were out but not yet trained. */
    private static final class Counting extends ForwardingViewSource {
        long handedOut;
        long trained;
        long maxUntrainedAtPoll;

        Counting(InMemoryViewSource delegate) {
            super(delegate);
        }

        @Override
        public List<SourcedView> poll(Duration timeout) {
            maxUntrainedAtPoll = Math.max(maxUntrainedAtPoll, handedOut - trained);
            List<SourcedView> views = super.poll(timeout);
            handedOut += views.size() / 2;
            return views;
        }
    }

    @Test
    void shouldKeepReadingWhileAStepRunsAndStillTrainEveryFullBatchInArrivalOrder() {
        List<AugmentedView> views = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            views.add(ViewFixtures.view("run", "s" + i, 0, null, i));
            views.add(ViewFixtures.view("run", "s" + i, 1, null, i + 0.5f));
        }
        Counting source = new Counting(new InMemoryViewSource("views", List.of(views), 2));
        List<float[]> firstPixels = new ArrayList<>();
        TrainerListener listener = new TrainerListener() {
            @Override
            public void onBatchTrained(long step, List<ViewLocation> trained) {
                source.trained += trained.size() / 2;
            }

            @Override
            public void onBatch(long step, TrainBatch batch) {
                firstPixels.add(new float[] {batch.pixels()[0], batch.pixels()[64]});
            }
        };
        TrainerConfig config = TrainerConfig.builder().setRunId("run")
                .setCatalog(new TopicCatalog("t", 1, (short) 1)).setCheckpointDir(dir)
                .setEncoder(new EncoderSpec(EncoderSpec.Kind.MLP, ViewFixtures.SHAPE, List.of(16), 8, 4))
                .setLoss(LossConfig.of("infonce", 0.5f)).setOptimizer(OptimizerConfig.adam(1e-3f)).setSeed(1)
                .optBatchSize(BATCH).build();
        TrainerSummary summary = TrainerWorker.fromSource(source, List.of(), config, listener).run();

        assertEquals(SAMPLES / BATCH, summary.steps(), "every full batch is trained before the source runs dry");
        assertEquals(SAMPLES / BATCH * BATCH, summary.samples());
        for (int step = 0; step < firstPixels.size(); step++) {
            // view 0 of the batch's first sample, then view 0 of its second: samples in arrival order
            assertArrayEquals(new float[] {2 * step, 2 * step + 1}, firstPixels.get(step), 1e-6f, "step " + step);
        }
        // the old loop stopped reading as soon as one batch was ready (at most 1 in flight + 1 buffered per poll);
        // reading ahead means more than a step's worth in flight plus one batch were out at some poll
        assertTrue(source.maxUntrainedAtPoll > 2 * BATCH, "max untrained at a poll: " + source.maxUntrainedAtPoll);
    }
}
