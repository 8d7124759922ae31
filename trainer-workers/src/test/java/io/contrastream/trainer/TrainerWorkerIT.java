package io.contrastream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.contrastream.infra.EventTopics;
import io.contrastream.infra.KafkaClientConfigs;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.TopicCatalog;
import io.contrastream.infra.testing.SharedKafka;
import io.contrastream.model.CheckpointFiles;
import io.contrastream.model.EncoderSpec;
import io.contrastream.model.StoredCheckpoint;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.CheckpointEvent;
import io.contrastream.schemas.DeadLetter;
import io.contrastream.schemas.TopicPartitionOffset;
import io.contrastream.schemas.codec.EventCodec;
import io.contrastream.trainer.internal.ResumePoint;
import io.contrastream.trainer.internal.TrainingLoop;
import io.contrastream.trainer.kafka.CheckpointLog;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.optim.OptimizerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.slf4j.LoggerFactory;

class TrainerWorkerIT {
    private static final EventCodec<AugmentedView> VIEWS = EventCodec.of(AugmentedView.class);
    private static final String RUN = "run1";

    @TempDir
    Path dir;

    private final KafkaCluster cluster = SharedKafka.cluster();

    private TrainerConfig config(TopicCatalog catalog, long maxSteps) {
        return TrainerConfig.builder().setRunId(RUN).setCatalog(catalog).setCheckpointDir(dir)
                .setEncoder(new EncoderSpec(EncoderSpec.Kind.MLP, ViewFixtures.SHAPE, List.of(16), 8, 4))
                .setLoss(LossConfig.of("infonce", 0.5f)).setOptimizer(OptimizerConfig.adam(1e-3f)).setSeed(7)
                .optBatchSize(4).optCheckpointEverySteps(3).optMaxSteps(maxSteps)
                .optIdleTimeout(Duration.ofSeconds(20)).build();
    }

    private void produce(TopicCatalog catalog, List<ProducerRecord<String, byte[]>> records) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClientConfigs.producer(cluster, "it"),
                new StringSerializer(), new ByteArraySerializer())) {
            records.forEach(producer::send);
            producer.flush();
        }
    }

    private List<ProducerRecord<String, byte[]>> samples(TopicCatalog catalog, int count) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            for (int v = 0; v < 2; v++) {
                records.add(new ProducerRecord<>(catalog.views().name(), "s" + i,
                        VIEWS.encode(ViewFixtures.view(RUN, "s" + i, v, null, i / 100f + v / 10f))));
            }
        }
        return records;
    }

    private List<CheckpointEvent> checkpoints(TopicCatalog catalog) {
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(KafkaClientConfigs.reader(cluster, "it-cp"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            return CheckpointLog.read(reader, catalog.checkpoints().name(), RUN, 0, Duration.ofSeconds(20));
        }
    }

    /** Records every trained view location per step. */
    private static final class Recorder implements TrainerListener {
        final Map<Long, List<ViewLocation>> trained = new TreeMap<>();
        final long stopAt;
        TrainerWorker worker;

        Recorder(long stopAt) {
            this.stopAt = stopAt;
        }

        @Override
        public void onBatchTrained(long step, List<ViewLocation> views) {
            trained.put(step, views);
            if (step == stopAt) {
                worker.stop();
            }
        }
    }

    @Test
    void shouldCommitVerifiableCheckpointsAndResumeExactlyAfterAStop() {
        TopicCatalog catalogA = SharedKafka.freshCatalog(2);
        produce(catalogA, samples(catalogA, 40));
        TrainerSummary a = TrainerWorker.create(cluster, config(catalogA, 10), TrainerListener.none()).run();
        assertEquals(TrainerSummary.StopReason.MAX_STEPS, a.reason());
        assertEquals(10, a.steps());
        List<CheckpointEvent> eventsA = checkpoints(catalogA);
        assertEquals(List.of(3L, 6L, 9L, 10L), eventsA.stream().map(CheckpointEvent::getStep).toList());
        for (CheckpointEvent event : eventsA) {
            assertInstanceOf(CheckpointFiles.Read.Ok.class, CheckpointFiles.read(CheckpointLog.parameters(event)));
            event.getAttachments().forEach(att -> assertInstanceOf(CheckpointFiles.Read.Ok.class, CheckpointFiles
                    .read(new StoredCheckpoint(URI.create(att.getUri()), att.getSha256(), att.getByteSize()))));
            assertEquals(2, event.getOffsets().size(), "offsets of both partitions");
            assertEquals(RUN, event.getProvenance().getConfig().get("runId"));
        }
        long consumed = eventsA.get(3).getOffsets().stream().mapToLong(TopicPartitionOffset::getOffset).sum();
        assertEquals(80, consumed, "every view consumed by step 10");

        TopicCatalog catalogB = SharedKafka.freshCatalog(2);
        produce(catalogB, samples(catalogB, 40));
        Recorder first = new Recorder(5);
        first.worker = TrainerWorker.create(cluster, config(catalogB, 10), first);
        TrainerSummary stopped = first.worker.run();
        assertEquals(TrainerSummary.StopReason.STOPPED, stopped.reason());
        assertEquals(5, stopped.steps());
        assertEquals(3, stopped.lastCheckpoint().orElseThrow().getStep());
        Recorder second = new Recorder(-1);
        TrainerSummary resumed = TrainerWorker.create(cluster, config(catalogB, 10), second).run();
        assertEquals(a.steps(), resumed.steps(), "the resumed run ends at the uninterrupted run's step count");
        assertEquals(4L, second.trained.keySet().iterator().next(), "resumed after checkpoint step 3");

        List<ViewLocation> union = new ArrayList<>();
        first.trained.forEach((step, views) -> {
            if (step <= 3) {
                union.addAll(views);
            }
        });
        second.trained.values().forEach(union::addAll);
        Map<ViewLocation, Integer> counts = new HashMap<>();
        union.forEach(v -> counts.merge(v, 1, Integer::sum));
        assertEquals(80, union.size(), "trained views before the checkpoint + after resume");
        assertEquals(80, counts.size(), "every record exactly once");
        assertTrue(counts.values().stream().allMatch(c -> c == 1));
    }

    @Test
    void shouldResumeToBitIdenticalParametersWithTheOptimizerAttachment() throws Exception {
        // One partition: the consumption order, hence every batch, is the same in both runs. With two partitions the
        // runs may consume the partitions in different orders (which one a fetch returns first is timing), so the two
        // runs would train different batches; the resume itself keeps the stopped run's order either way.
        TopicCatalog catalogA = SharedKafka.freshCatalog(1);
        produce(catalogA, samples(catalogA, 40));
        Recorder uninterrupted = new Recorder(-1);
        TrainerSummary a = TrainerWorker.create(cluster, config(catalogA, 10), uninterrupted).run();
        assertEquals(10, a.steps());
        List<CheckpointEvent> eventsA = checkpoints(catalogA);
        assertEquals(List.of(3L, 6L, 9L, 10L), eventsA.stream().map(CheckpointEvent::getStep).toList());
        for (CheckpointEvent event : eventsA) {
            assertTrue(event.getAttachments().stream()
                    .anyMatch(att -> TrainingLoop.OPTIMIZER_ATTACHMENT.equals(att.getName())), event.toString());
        }

        TopicCatalog catalogB = SharedKafka.freshCatalog(1);
        produce(catalogB, samples(catalogB, 40));
        Recorder first = new Recorder(5);
        first.worker = TrainerWorker.create(cluster, config(catalogB, 10), first);
        assertEquals(3, first.worker.run().lastCheckpoint().orElseThrow().getStep());
        Recorder second = new Recorder(-1);
        TrainerSummary resumed = TrainerWorker.create(cluster, config(catalogB, 10), second).run();
        assertEquals(10, resumed.steps());
        assertEquals(4L, second.trained.keySet().iterator().next(), "resumed after checkpoint step 3");
        for (long step = 4; step <= 10; step++) {
            assertEquals(offsets(uninterrupted.trained.get(step)), offsets(second.trained.get(step)),
                    "step " + step + " trains the same records in the same order");
        }

        CheckpointEvent lastA = eventsA.get(3);
        List<CheckpointEvent> eventsB = checkpoints(catalogB);
        CheckpointEvent lastB = eventsB.get(eventsB.size() - 1);
        assertEquals(10L, lastB.getStep());
        assertEquals(lastA.getSha256(), lastB.getSha256(),
                "the resumed run's final parameters are bit-identical to the uninterrupted run's");
        assertEquals(optimizerSha(lastA), optimizerSha(lastB), "and so are its Adam moments");

        // an optimizer attachment that no longer verifies makes its checkpoint unusable, like the other files
        assertEquals(List.of(3L, 6L, 9L, 10L), eventsB.stream().map(CheckpointEvent::getStep).toList());
        Path newest = optimizerFile(lastB);
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(newest, bytes);
        assertEquals(9L, CheckpointLog.newestUsable(eventsB).orElseThrow().event().getStep());
        Path previous = optimizerFile(eventsB.get(2));
        Files.write(previous, Arrays.copyOf(Files.readAllBytes(previous), 100));
        ResumePoint point = CheckpointLog.newestUsable(eventsB).orElseThrow();
        assertEquals(6L, point.event().getStep());
        assertEquals(optimizerFile(eventsB.get(1)), Path.of(point.optimizer().orElseThrow().uri()));
    }

    private static Path optimizerFile(CheckpointEvent event) {
        return Path.of(URI.create(event.getAttachments().stream()
                .filter(att -> TrainingLoop.OPTIMIZER_ATTACHMENT.equals(att.getName())).findFirst().orElseThrow()
                .getUri()));
    }

    private static List<Long> offsets(List<ViewLocation> views) {
        return views.stream().map(ViewLocation::offset).toList();
    }

    private static String optimizerSha(CheckpointEvent event) {
        return event.getAttachments().stream().filter(att -> TrainingLoop.OPTIMIZER_ATTACHMENT.equals(att.getName()))
                .findFirst().orElseThrow().getSha256();
    }

    @Test
    void shouldDeadLetterBadViewsAndKeepTraining() {
        TopicCatalog catalog = SharedKafka.freshCatalog(1);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(samples(catalog, 6));
        String topic = catalog.views().name();
        records.add(new ProducerRecord<>(topic, "bad-shape", VIEWS.encode(ViewFixtures.view(RUN, "bad-shape", 0,
                null, new int[] {1, 4, 4}, new float[16]))));
        float[] nan = new float[64];
        nan[3] = Float.NaN;
        records.add(new ProducerRecord<>(topic, "nan", VIEWS.encode(ViewFixtures.view(RUN, "nan", 0, null,
                ViewFixtures.SHAPE, nan))));
        records.add(new ProducerRecord<>(topic, "garbage", new byte[] {1, 2, 3, 4, 5}));
        records.add(new ProducerRecord<>(topic, "other", VIEWS.encode(ViewFixtures.view("other-run", "x", 0, null,
                0.1f))));
        records.addAll(samples(catalog, 8).subList(12, 16));
        produce(catalog, records);
        TrainerSummary summary = TrainerWorker.create(cluster, config(catalog, 2), TrainerListener.none()).run();
        assertEquals(2, summary.steps(), "training continued past the bad records");
        assertEquals(3, summary.deadLettered());
        assertEquals(1, summary.otherRunViews());

        Map<Long, DeadLetter> letters = new TreeMap<>();
        EventCodec<DeadLetter> codec = EventCodec.of(DeadLetter.class);
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(KafkaClientConfigs.reader(cluster, "it-dl"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(catalog.deadLetter().name(), 0));
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (letters.size() < 3 && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
                    DeadLetter letter = codec.decode(r.value());
                    letters.put(letter.getOffset(), letter);
                }
            }
        }
        assertEquals(List.of(12L, 13L, 14L), new ArrayList<>(letters.keySet()));
        assertTrue(letters.values().stream().allMatch(l -> l.getSourceTopic().equals(topic) && l.getPartition() == 0));
        assertEquals("tensor shape [1, 4, 4] does not match the encoder input [1, 8, 8]", letters.get(12L).getReason());
        assertEquals("non-finite pixel NaN at index 3", letters.get(13L).getReason());
        assertEquals("UNDECODABLE", letters.get(14L).getErrorType());
    }

    @Test
    void shouldFallBackToThePreviousCheckpointWhenTheNewestIsTampered() throws Exception {
        TopicCatalog catalog = SharedKafka.freshCatalog(2);
        produce(catalog, samples(catalog, 40));
        TrainerWorker.create(cluster, config(catalog, 7), TrainerListener.none()).run();
        List<CheckpointEvent> events = checkpoints(catalog);
        assertEquals(List.of(3L, 6L, 7L), events.stream().map(CheckpointEvent::getStep).toList());
        Path newest = Path.of(URI.create(events.get(2).getParameterUri()));
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(newest, bytes);

        Logger logger = (Logger) LoggerFactory.getLogger(CheckpointLog.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        Recorder resumed = new Recorder(-1);
        try {
            TrainerSummary summary = TrainerWorker.create(cluster, config(catalog, 8), resumed).run();
            assertEquals(8, summary.steps());
        } finally {
            logger.detachAppender(appender);
        }
        assertEquals(7L, resumed.trained.keySet().iterator().next(), "resumed from step 6, not the tampered 7");
        List<String> warnings = appender.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("unusable")).toList();
        assertEquals(1, warnings.size(), String.valueOf(appender.list));
        assertTrue(warnings.get(0).contains(events.get(2).getParameterUri()) && warnings.get(0).contains("SHA-256")
                && warnings.get(0).contains(events.get(1).getParameterUri()), warnings.get(0));
        assertFalse(Collections.disjoint(List.of(warnings.get(0)), warnings));
    }
}
