package io.contrastream.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.infra.KafkaClientConfigs;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.TopicCatalog;
import io.contrastream.infra.testing.SharedKafka;
import io.contrastream.model.CheckpointFiles;
import io.contrastream.model.EncoderSpec;
import io.contrastream.model.StoredCheckpoint;
import io.contrastream.model.replay.ReplayBuffer;
import io.contrastream.model.replay.ReplayPolicy;
import io.contrastream.model.replay.ReplaySample;
import io.contrastream.schemas.Attachment;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.CheckpointEvent;
import io.contrastream.schemas.ReplayEntry;
import io.contrastream.schemas.codec.EventCodec;
import io.contrastream.trainer.engine.TrainBatch;
import io.contrastream.trainer.kafka.CheckpointLog;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.optim.OptimizerConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTrainerIT {
    private static final EventCodec<AugmentedView> VIEWS = EventCodec.of(AugmentedView.class);
    private static final String RUN = "replay1";

    @TempDir
    Path dir;

    private final KafkaCluster cluster = SharedKafka.cluster();

    private TrainerConfig config(TopicCatalog catalog) {
        return TrainerConfig.builder().setRunId(RUN).setCatalog(catalog).setCheckpointDir(dir)
                .setEncoder(new EncoderSpec(EncoderSpec.Kind.MLP, ViewFixtures.SHAPE, List.of(16), 8, 4))
                .setLoss(LossConfig.of("supcon", 0.5f)).setOptimizer(OptimizerConfig.adam(1e-3f)).setSeed(7)
                .optBatchSize(4).optCheckpointEverySteps(3).optMaxSteps(10)
                .optIdleTimeout(Duration.ofSeconds(20))
                .optReplay(ReplaySettings.of(6, ReplayPolicy.CLASS_BALANCED).withRatio(0.5)).build();
    }

    private TopicCatalog catalogWithSamples(int count) {
        TopicCatalog catalog = SharedKafka.freshCatalog(1);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClientConfigs.producer(cluster, "it"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                for (int v = 0; v < 2; v++) {
                    AugmentedView view = ViewFixtures.view(RUN, "s" + i, v, null, i / 100f + v / 10f);
                    if (v == 0) {
                        view = ViewFixtures.withOriginal(view, i / 100f + 0.05f);
                    }
                    producer.send(new ProducerRecord<>(catalog.views().name(), "s" + i, VIEWS.encode(view)));
                }
            }
            producer.flush();
        }
        return catalog;
    }

    private List<CheckpointEvent> checkpoints(TopicCatalog catalog) {
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(KafkaClientConfigs.reader(cluster, "it-cp"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            return CheckpointLog.read(reader, catalog.checkpoints().name(), RUN, 0, Duration.ofSeconds(20));
        }
    }

    /** The replay topic's newest entry per key (tombstones remove the key), read committed. */
    private List<ReplayEntry> replayTopic(TopicCatalog catalog) {
        EventCodec<ReplayEntry> codec = EventCodec.of(ReplayEntry.class);
        Map<String, ReplayEntry> latest = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(KafkaClientConfigs.reader(cluster, "it-rp"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = reader.partitionsFor(catalog.replay().name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(tp -> reader.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        latest.remove(r.key());
                    } else {
                        latest.put(r.key(), codec.decode(r.value()));
                    }
                }
            }
        }
        return new ArrayList<>(latest.values());
    }

    private static void assertSameContents(ReplayBuffer expected, ReplayBuffer actual) {
        List<ReplaySample> a = expected.exemplars();
        List<ReplaySample> b = actual.exemplars();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).sampleId(), b.get(i).sampleId(), "slot " + i);
            assertEquals(a.get(i).label(), b.get(i).label(), "slot " + i);
            assertArrayEquals(a.get(i).image().pixels(), b.get(i).image().pixels(), "slot " + i);
        }
    }

    private static byte[] replayFile(CheckpointEvent event) {
        Attachment replay = event.getAttachments().stream().filter(a -> a.getName().equals("replay")).findFirst()
                .orElseThrow(() -> new AssertionError("no replay attachment at step " + event.getStep()));
        CheckpointFiles.Read read = CheckpointFiles.read(new StoredCheckpoint(URI.create(replay.getUri()),
                replay.getSha256(), replay.getByteSize()));
        return assertInstanceOf(CheckpointFiles.Read.Ok.class, read, "replay attachment verifies").bytes();
    }

    private static byte[] bytes(ReplayBuffer buffer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            buffer.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Test
    void shouldCheckpointTheReplayBufferAndRestoreItExactlyAfterAStop() throws IOException {
        TopicCatalog uninterruptedTopics = catalogWithSamples(40);
        TrainerSummary uninterrupted = TrainerWorker.create(cluster, config(uninterruptedTopics),
                TrainerListener.none()).run();
        assertEquals(10, uninterrupted.steps());
        List<CheckpointEvent> events = checkpoints(uninterruptedTopics);
        assertEquals(List.of(3L, 6L, 9L, 10L), events.stream().map(CheckpointEvent::getStep).toList());
        for (CheckpointEvent event : events) {
            ReplayBuffer buffer = ReplayBuffer.readFrom(new ByteArrayInputStream(replayFile(event)));
            assertEquals(6, buffer.size(), "step " + event.getStep());
            assertEquals(event.getStep() * 4, buffer.seen(), "every trained sample offered by step "
                    + event.getStep());
        }

        ReplayBuffer finalBuffer = ReplayBuffer.readFrom(new ByteArrayInputStream(replayFile(events.get(3))));
        assertSameContents(finalBuffer, ReplayBuffer.fromReplayEntries(finalBuffer.config(),
                replayTopic(uninterruptedTopics)));

        TopicCatalog topics = catalogWithSamples(40);
        TrainerWorker[] first = new TrainerWorker[1];
        first[0] = TrainerWorker.create(cluster, config(topics), new TrainerListener() {
            @Override
            public void onBatch(long step, TrainBatch batch) {
                if (step == 5) {
                    first[0].stop();
                }
            }
        });
        TrainerSummary stopped = first[0].run();
        assertEquals(TrainerSummary.StopReason.STOPPED, stopped.reason());
        CheckpointEvent resumeFrom = stopped.lastCheckpoint().orElseThrow();
        assertEquals(3, resumeFrom.getStep());

        List<byte[]> restored = new ArrayList<>();
        List<Integer> batchSizes = new ArrayList<>();
        TrainerSummary resumed = TrainerWorker.create(cluster, config(topics), new TrainerListener() {
            @Override
            public void onResumed(CheckpointEvent checkpoint, Optional<ReplayBuffer> replay) {
                assertEquals(resumeFrom.getStep(), checkpoint.getStep());
                restored.add(bytes(replay.orElseThrow()));
            }

            @Override
            public void onBatch(long step, TrainBatch batch) {
                batchSizes.add(batch.batchSize());
                assertTrue(batch.rehearsalMask().orElseThrow()[batch.batchSize() - 1], "replayed rows masked");
            }
        }).run();
        assertEquals(1, restored.size());
        assertArrayEquals(replayFile(resumeFrom), restored.get(0), "restored buffer = the checkpoint's, byte for byte");
        assertEquals(uninterrupted.steps(), resumed.steps(), "the resumed run ends at the same step count");
        assertEquals(List.of(6, 6, 6, 6, 6, 6, 6), batchSizes, "steps 4..10: 4 current + round(0.5 * 4) replayed");
        assertArrayEquals(replayFile(events.get(3)), replayFile(resumed.lastCheckpoint().orElseThrow()),
                "the final buffer equals the uninterrupted run's");
        assertSameContents(finalBuffer, ReplayBuffer.fromReplayEntries(finalBuffer.config(), replayTopic(topics)));
    }
}
