package io.contrastream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.contrastream.infra.TopicCatalog;
import io.contrastream.model.EncoderSpec;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.CheckpointEvent;
import io.contrastream.schemas.DeadLetter;
import io.contrastream.schemas.ReplayEntry;
import io.contrastream.trainer.engine.TrainingEngine;
import io.contrastream.trainer.internal.CheckpointSink;
import io.contrastream.trainer.internal.TrainingLoop;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.optim.OptimizerConfig;
import io.contrastream.schemas.TaskEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskEndCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void shouldPublishOneCheckpointWhenATaskEndsOnAPeriodicStep() {
        // two tasks of 8 samples, batch 4, a checkpoint every 2 steps: both task ends (steps 2 and 4) fall on periodic
        // steps, and the sample counts are known from the start events, so each step gets one task-end checkpoint
        List<AugmentedView> views = new ArrayList<>();
        for (int task = 0; task < 2; task++) {
            for (int i = 0; i < 8; i++) {
                String id = "t" + task + "s" + i;
                views.add(ViewFixtures.view("run", id, 0, task, 0.1f * i));
                views.add(ViewFixtures.view("run", id, 1, task, 0.1f * i + 0.05f));
            }
        }
        InMemoryViewSource source = new InMemoryViewSource("views", List.of(views), 4);
        TrainerConfig config = TrainerConfig.builder().setRunId("run")
                .setCatalog(new TopicCatalog("t", 1, (short) 1)).setCheckpointDir(dir)
                .setEncoder(new EncoderSpec(EncoderSpec.Kind.MLP, ViewFixtures.SHAPE, List.of(16), 8, 4))
                .setLoss(LossConfig.of("infonce", 0.5f)).setOptimizer(OptimizerConfig.adam(1e-3f)).setSeed(1)
                .optBatchSize(4).optCheckpointEverySteps(2).optStopAfterLastTask(true).build();
        List<String> published = new ArrayList<>();
        CheckpointSink sink = new CheckpointSink() {
            @Override
            public void publish(CheckpointEvent event, List<ProducerRecord<String, DeadLetter>> deadLetters,
                                List<ProducerRecord<String, ReplayEntry>> replaySlots,
                                Map<TopicPartition, Long> offsets) {
                published.add(event.getStep() + (event.getTaskEnd() ? " end" : ""));
            }

            @Override
            public void close() {
            }
        };
        List<TaskEvent> control = new ArrayList<>(List.of(ViewFixtures.start("run", 0, 2, 8),
                ViewFixtures.start("run", 1, 2, 8)));
        try (TrainingEngine engine = TrainingEngine.builder().setEncoder(config.encoder()).setLoss(config.loss())
                .setOptimizer(config.optimizer()).setSeed(config.seed()).build()) {
            TrainerSummary summary = new TrainingLoop(config, engine, source, sink, () -> {
                List<TaskEvent> out = List.copyOf(control);
                control.clear();
                return out;
            }, new TrainerListener() { }, new AtomicBoolean(), Map.of()).run();
            assertEquals(4, summary.steps());
        }
        assertEquals(List.of("2 end", "4 end"), published);
    }
}
