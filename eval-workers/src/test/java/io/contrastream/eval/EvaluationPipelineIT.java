package io.contrastream.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.data.Dataset;
import io.contrastream.data.DatasetCatalog;
import io.contrastream.data.Example;
import io.contrastream.eval.aggregate.AggregatorConfig;
import io.contrastream.eval.aggregate.Leaderboard;
import io.contrastream.eval.aggregate.MetricsAggregator;
import io.contrastream.eval.aggregate.MetricsQueries;
import io.contrastream.eval.metrics.MetricSuite;
import io.contrastream.infra.EventTopics;
import io.contrastream.infra.KafkaClientConfigs;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.TopicCatalog;
import io.contrastream.infra.testing.SharedKafka;
import io.contrastream.model.EncoderSpec;
import io.contrastream.model.StoredCheckpoint;
import io.contrastream.model.replay.ReplayBuffer;
import io.contrastream.model.replay.ReplayConfig;
import io.contrastream.model.replay.ReplayPolicy;
import io.contrastream.model.replay.ReplaySample;
import io.contrastream.model.CheckpointFiles;
import io.contrastream.schemas.CheckpointEvent;
import io.contrastream.schemas.DeadLetter;
import io.contrastream.schemas.MetricRecord;
import io.contrastream.schemas.MetricStatus;
import io.contrastream.schemas.TaskEvent;
import io.contrastream.schemas.TaskPhase;
import io.contrastream.trainer.engine.TrainBatch;
import io.contrastream.trainer.engine.TrainingEngine;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.optim.OptimizerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on the embedded broker: real checkpoints from the training engine, announced transactionally, evaluated
 * by the worker, aggregated by the Streams app; a tampered checkpoint fails without stopping the worker.
 */
class EvaluationPipelineIT {

    private static final String RUN = "it-run";
    private static final int[] SHAPE = {1, 28, 28};
    private static final EncoderSpec SPEC = new EncoderSpec(EncoderSpec.Kind.MLP, SHAPE, List.of(32), 16, 8);
    private static final int FAST_METRICS = 8;

    @TempDir
    Path dir;

    @Test
    void shouldPublishEveryCheckpointsMetricsExactlyOnceAndDeadLetterATamperedOne() throws Exception {
        KafkaCluster cluster = SharedKafka.cluster();
        TopicCatalog catalog = SharedKafka.freshCatalog(2);
        EventTopics topics = new EventTopics(catalog);
        Dataset train = new DatasetCatalog(dir).open("synthetic", "train");

        List<CheckpointEvent> events = new ArrayList<>();
        try (TrainingEngine engine = TrainingEngine.builder().setEncoder(SPEC).setLoss(LossConfig.of("infonce", 0.2f))
                .setOptimizer(OptimizerConfig.adam(1e-3f)).setSeed(5).build()) {
            train(engine, train, 0, 3);
            StoredCheckpoint first = engine.saveCheckpoint(dir, "step-3");
            StoredCheckpoint firstReplay = replay(train, new int[] {0, 1, 2, 3, 4}, "replay-3");
            events.add(TestCheckpoints.event(RUN, 3, 0, true, first, SPEC.toMap(),
                    List.of(TestCheckpoints.attachment("replay", firstReplay))));
            train(engine, train, 3, 6);
            StoredCheckpoint tampered = engine.saveCheckpoint(dir, "step-6");
            byte[] bytes = Files.readAllBytes(Path.of(tampered.uri()));
            bytes[bytes.length - 1] ^= 0x01;
            Files.write(Path.of(tampered.uri()), bytes);
            events.add(TestCheckpoints.event(RUN, 6, 1, false, tampered, SPEC.toMap(), List.of()));
            train(engine, train, 6, 9);
            StoredCheckpoint second = engine.saveCheckpoint(dir, "step-9");
            StoredCheckpoint secondReplay = replay(train, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, "replay-9");
            events.add(TestCheckpoints.event(RUN, 9, 1, true, second, SPEC.toMap(),
                    List.of(TestCheckpoints.attachment("replay", secondReplay))));
        }
        publishTasks(cluster, topics);
        publishTransactionally(cluster, topics, events);

        EvaluatorConfig config = EvaluatorConfig.builder().setSuite(MetricSuite.fast()).setDataset("synthetic")
                .optDataDir(dir).optMaxTestSamples(300).optTrainSubsetSize(400).optBatchSize(200)
                .optPollTimeout(Duration.ofMillis(200)).build();
        List<CheckpointOutcome> outcomes = new CopyOnWriteArrayList<>();
        EvaluatorWorker worker = EvaluatorWorker.create(cluster, topics, config, new EvaluationListener() {
            @Override
            public void onOutcome(CheckpointOutcome outcome) {
                outcomes.add(outcome);
            }
        });
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<EvaluatorSummary> running = pool.submit(worker::run);
        await(() -> outcomes.size() >= 3, Duration.ofSeconds(60), "3 outcomes, got " + outcomes);
        worker.stop();
        EvaluatorSummary summary = running.get();
        assertEquals(2, summary.evaluated());
        assertEquals(1, summary.failed());

        CheckpointOutcome.Evaluated step3 = assertInstanceOf(CheckpointOutcome.Evaluated.class, outcomes.get(0));
        CheckpointOutcome.Failed step6 = assertInstanceOf(CheckpointOutcome.Failed.class, outcomes.get(1));
        CheckpointOutcome.Evaluated step9 = assertInstanceOf(CheckpointOutcome.Evaluated.class, outcomes.get(2));
        assertEquals(CheckpointFailure.Reason.HASH_MISMATCH, step6.failure().reason());
        // fast suite + cl-accuracy per seen task + cl-average-accuracy + knn-buffer-accuracy
        assertEquals(FAST_METRICS + 1 + 2, step3.metrics().size());
        assertEquals(FAST_METRICS + 2 + 2, step9.metrics().size());
        assertTrue(step9.summaryLine().contains("recall@1"), step9.summaryLine());

        // A second worker in the same group finds nothing left to do: the offsets were committed with the records.
        List<CheckpointOutcome> again = new CopyOnWriteArrayList<>();
        EvaluatorWorker second = EvaluatorWorker.create(cluster, topics, config, new EvaluationListener() {
            @Override
            public void onStarted(String groupId, int testSamples, int trainSamples) {
                again.add(new CheckpointOutcome.Skipped("started", 0, groupId));
            }

            @Override
            public void onOutcome(CheckpointOutcome outcome) {
                again.add(outcome);
            }
        });
        Future<EvaluatorSummary> rerun = pool.submit(second::run);
        await(() -> !again.isEmpty(), Duration.ofSeconds(30), "second worker start");
        Thread.sleep(3000);
        second.stop();
        assertEquals(0, rerun.get().outcomes().size());
        pool.shutdown();

        Map<String, List<MetricRecord>> published = readAll(cluster, topics.metrics().name(),
                topics.metrics().valueSerde().deserializer());
        assertTrue(published.values().stream().allMatch(list -> list.size() == 1),
                "a metric key was published twice: " + published.entrySet().stream()
                        .filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList());
        assertEquals(step3.metrics().size() + step9.metrics().size() + 1, published.size());
        Map<String, List<DeadLetter>> dead = readAll(cluster, topics.deadLetter().name(),
                topics.deadLetter().valueSerde().deserializer());
        assertEquals(1, dead.values().stream().mapToInt(List::size).sum());
        DeadLetter letter = dead.values().iterator().next().get(0);
        assertEquals("hash-mismatch", letter.getErrorType());
        assertTrue(letter.getReason().contains("step-6") && letter.getReason().contains("step 6"),
                letter.getReason());

        // A fast-suite estimate of the last checkpoint's recall@1 above every exact value of the run (as if a
        // sampling evaluator had scored it too): it must rank on its own series' board only.
        MetricRecord estimate = MetricRecord.newBuilder().setRunId(RUN).setStep(9).setTaskId(1).setMetric("recall@1")
                .setValue(1.0).setSplit("test").setLabels(Map.of("queries", "100")).setStatus(MetricStatus.OK)
                .setCreatedAt(Instant.now()).build();
        try (KafkaProducer<String, MetricRecord> producer = new KafkaProducer<>(
                KafkaClientConfigs.producer(cluster, "it-sampled"), new StringSerializer(),
                topics.metrics().valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topics.metrics().name(), MetricKeys.of(estimate), estimate)).get();
        }

        AggregatorConfig aggregatorConfig = AggregatorConfig.builder().setCatalog(catalog).optHttpPort(-1)
                .optStateDir(dir.resolve("state")).build();
        try (MetricsAggregator aggregator = MetricsAggregator.start(cluster, aggregatorConfig)) {
            MetricsQueries q = aggregator.queries();
            int expected = published.size() + 1;
            await(() -> sizeOrZero(q, RUN) == expected, Duration.ofSeconds(60),
                    "aggregated " + expected + " values");
            Map<Long, Long> perStep = q.metrics(RUN).stream()
                    .collect(Collectors.groupingBy(MetricsQueries.MetricView::step, Collectors.counting()));
            assertEquals(Map.of(3L, (long) step3.metrics().size(), 6L, 1L, 9L, step9.metrics().size() + 1L),
                    perStep);
            MetricsQueries.MetricView failed = q.metric(MetricKeys.of(RUN, 6, "evaluation",
                    Map.of("reason", "hash-mismatch"), "test")).orElseThrow();
            assertEquals(MetricStatus.EVALUATION_FAILED.name(), failed.status());
            for (CheckpointOutcome.Evaluated e : List.of(step3, step9)) {
                double recall = q.metric(MetricKeys.of(RUN, e.step(), "recall@1", Map.of(), "test")).orElseThrow()
                        .value();
                assertEquals(e.value("recall@1"), recall);
            }
            // Records of different steps may reach the tables in any order: wait until both rows hold a value and
            // the run summary has counted the failure.
            await(() -> {
                try {
                    return q.accuracyMatrix(RUN).map(m -> m.rows().size() == 2
                            && !Double.isNaN(m.rows().get(0).get(0)) && !Double.isNaN(m.rows().get(1).get(0)))
                            .orElse(false) && q.runs().size() == 1 && q.runs().get(0).failed() == 1;
                } catch (RuntimeException storeNotReady) {
                    return false;
                }
            },
                    Duration.ofSeconds(30), "2-row accuracy matrix and the run summary");
            await(() -> {
                try {
                    return q.leaderboard("recall@1").map(b -> b.get(0).entries().size() == 2).orElse(false)
                            && q.leaderboard("recall@1[queries=100]").isPresent();
                } catch (RuntimeException storeNotReady) {
                    return false;
                }
            }, Duration.ofSeconds(30), "the exact and the sampled recall@1 boards");
            Leaderboard exact = q.leaderboard("recall@1").orElseThrow().get(0);
            assertEquals(Math.max(step3.value("recall@1"), step9.value("recall@1")),
                    exact.best().orElseThrow().value(), "the exact board ranks exact values only");
            assertTrue(exact.ranked().stream().allMatch(e -> e.series().equals("recall@1")), exact.toString());
            Leaderboard sampled = q.leaderboard("recall@1[queries=100]").orElseThrow().get(0);
            assertEquals(List.of(new Leaderboard.Entry(9, 1, "recall@1[queries=100]", 1.0)), sampled.ranked());
            assertEquals(List.of(exact), q.preferredLeaderboards(RUN, "recall@1"));
            MetricsQueries.AccuracyMatrixView matrix = q.accuracyMatrix(RUN).orElseThrow();
            assertEquals(step9.value("cl-accuracy", Map.of("task", "0")), matrix.rows().get(1).get(0));
            assertEquals(step3.value("cl-accuracy", Map.of("task", "0")), matrix.rows().get(0).get(0));
            assertEquals(1, q.runs().get(0).failed());
        }
    }

    private static int sizeOrZero(MetricsQueries q, String run) {
        try {
            return q.metrics(run).size();
        } catch (InvalidStateStoreException e) {
            return 0;
        }
    }

    private static void train(TrainingEngine engine, Dataset data, int fromBatch, int toBatch) {
        int b = 16;
        int size = 28 * 28;
        for (int batch = fromBatch; batch < toBatch; batch++) {
            float[] pixels = new float[2 * b * size];
            for (int i = 0; i < b; i++) {
                float[] x = data.get(batch * b + i).image().pixels();
                System.arraycopy(x, 0, pixels, i * size, size);
                for (int k = 0; k < size; k++) {
                    pixels[(b + i) * size + k] = Math.min(1f, x[k] + 0.05f * ((k * 31 + i) % 7) / 7f);
                }
            }
            engine.step(TrainBatch.builder().setViews(2).setBatchSize(b).setSampleShape(SHAPE).setPixels(pixels)
                    .build());
        }
    }

    private StoredCheckpoint replay(Dataset data, int[] classes, String name) {
        ReplayBuffer buffer = ReplayBuffer.create(new ReplayConfig(RUN, 60, ReplayPolicy.RESERVOIR, 1, 28, 28, 2));
        buffer.onTaskStart(RUN, 0);
        for (int i = 0; i < 200 && buffer.size() < 60; i++) {
            Example x = data.get(1000 + i);
            for (int c : classes) {
                if (c == x.label()) {
                    buffer.offer(new ReplaySample(x.sampleId(), x.label(), x.label() / 5, x.image()));
                }
            }
        }
        return CheckpointFiles.writeBlob(dir, name, buffer::writeTo);
    }

    private static void publishTasks(KafkaCluster cluster, EventTopics topics) {
        try (KafkaProducer<String, TaskEvent> producer = new KafkaProducer<>(
                KafkaClientConfigs.producer(cluster, "it-control"), new StringSerializer(),
                topics.control().valueSerde().serializer())) {
            for (int task = 0; task < 2; task++) {
                List<Integer> classes = task == 0 ? List.of(0, 1, 2, 3, 4) : List.of(5, 6, 7, 8, 9);
                producer.send(new ProducerRecord<>(topics.control().name(), RUN, TaskEvent.newBuilder().setRunId(RUN)
                        .setTaskId(task).setTaskCount(2).setClasses(classes).setPhase(TaskPhase.START)
                        .setTimestamp(Instant.now()).build()));
            }
            producer.flush();
        }
    }

    private static void publishTransactionally(KafkaCluster cluster, EventTopics topics, List<CheckpointEvent> events) {
        try (KafkaProducer<String, CheckpointEvent> producer = new KafkaProducer<>(
                KafkaClientConfigs.transactionalProducer(cluster, "it-trainer", "it-trainer-" + topics.catalog()
                        .prefix()), new StringSerializer(), topics.checkpoints().valueSerde().serializer())) {
            producer.initTransactions();
            for (CheckpointEvent event : events) {
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topics.checkpoints().name(), event.getRunId(), event));
                producer.commitTransaction();
            }
        }
    }

    private static <V> Map<String, List<V>> readAll(KafkaCluster cluster, String topic,
                                                    org.apache.kafka.common.serialization.Deserializer<V> values) {
        Map<String, List<V>> out = new HashMap<>();
        try (KafkaConsumer<String, V> reader = new KafkaConsumer<>(KafkaClientConfigs.reader(cluster, "it-reader"),
                new StringDeserializer(), values)) {
            List<TopicPartition> partitions = reader.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> reader.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> r : reader.poll(Duration.ofMillis(200))) {
                    out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
                }
            }
        }
        return out;
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
