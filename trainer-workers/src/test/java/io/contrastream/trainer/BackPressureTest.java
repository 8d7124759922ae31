package io.contrastream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.infra.TopicCatalog;
import io.contrastream.model.EncoderSpec;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.optim.OptimizerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackPressureTest {
    @TempDir
    Path dir;

    /** Delegates to an in-memory source and records pause/resume calls. */
    private static final class Recording extends ForwardingViewSource {
        final List<String> calls = new ArrayList<>();

        Recording(InMemoryViewSource delegate) {
            super(delegate);
        }

        @Override
        public void pause(Collection<TopicPartition> partitions) {
            calls.add("pause " + partitions.size());
            super.pause(partitions);
        }

        @Override
        public void resume(Collection<TopicPartition> partitions) {
            calls.add("resume " + partitions.size());
            super.resume(partitions);
        }
    }

    @Test
    void shouldPauseAtTheHighWaterMarkResumeAtHalfAndDropIncompleteSamples() {
        List<AugmentedView> p0 = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            p0.add(ViewFixtures.view("run", "half" + i, 0, null, 0.1f)); // view 1 never arrives
        }
        List<AugmentedView> p1 = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            p1.add(ViewFixtures.view("run", "whole" + i, 0, null, 0.2f));
            p1.add(ViewFixtures.view("run", "whole" + i, 1, null, 0.3f));
        }
        // 6 lone views arrive in the first poll (p0 first): 6 incomplete samples >= high-water 4 -> pause both
        // partitions; after the 150 ms timeout they are dropped, 0 <= 2 -> resume; the 4 whole samples train.
        Recording source = new Recording(new InMemoryViewSource("views", List.of(p0, p1), 6));
        TrainerConfig config = TrainerConfig.builder().setRunId("run")
                .setCatalog(new TopicCatalog("t", 2, (short) 1)).setCheckpointDir(dir)
                .setEncoder(new EncoderSpec(EncoderSpec.Kind.MLP, ViewFixtures.SHAPE, List.of(16), 8, 4))
                .setLoss(LossConfig.of("infonce", 0.5f)).setOptimizer(OptimizerConfig.adam(1e-3f)).setSeed(1)
                .optBatchSize(2).optMaxBufferedSamples(4).optIncompleteTimeout(Duration.ofMillis(150)).build();
        TrainerSummary summary = TrainerWorker.fromSource(source, List.of(), config, TrainerListener.none()).run();
        assertEquals(List.of("pause 2", "resume 2"), source.calls);
        assertEquals(6, summary.dropped());
        assertEquals(4, summary.samples());
        assertEquals(2, summary.steps());
        assertTrue(summary.lastCheckpoint().isEmpty(), "in-memory runs publish no checkpoints");
    }
}
