package io.contrastream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.contrastream.data.SyntheticShapes;
import io.contrastream.infra.EventTopics;
import io.contrastream.infra.KafkaClientConfigs;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.testing.SharedKafka;
import io.contrastream.model.CheckpointFiles;
import io.contrastream.model.ContrastiveEncoder;
import io.contrastream.model.EncoderSpec;
import io.contrastream.model.Encoders;
import io.contrastream.model.StoredCheckpoint;
import io.contrastream.schemas.Candidate;
import io.contrastream.schemas.CheckpointEvent;
import io.contrastream.schemas.DeadLetter;
import io.contrastream.schemas.HardNegativeSet;
import io.contrastream.schemas.Provenance;
import io.contrastream.schemas.codec.EventCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the embedded broker: real checkpoints of a small MLP announced transactionally, as the trainer does; the miner
 * mines only the newest of two queued checkpoints, publishes one set per pool anchor, and dead-letters a tampered
 * checkpoint without publishing anything for it.
 */
class HardNegativeMinerIT {

    private static final String RUN = "it-run";
    private static final EncoderSpec SPEC = new EncoderSpec(EncoderSpec.Kind.MLP, new int[] {1, 28, 28}, List.of(32),
            16, 8);
    private static final int POOL = 60;
    private static final int M = 3;

    @TempDir
    Path dir;

    @Test
    void shouldPublishOneSetPerAnchorForTheNewestCheckpointAndDeadLetterATamperedOne() throws Exception {
        KafkaCluster cluster = SharedKafka.cluster();
        EventTopics topics = new EventTopics(SharedKafka.freshCatalog(2));
        SyntheticShapes train = new SyntheticShapes("train", 100, 1, 28, 28, 4L);
        StoredCheckpoint older = checkpoint("step-2", 1);
        StoredCheckpoint newer = checkpoint("step-4", 2);
        publish(cluster, topics, List.of(event(RUN, 2, older), event(RUN, 4, newer)));
        publish(cluster, topics, List.of(event("other-run", 9, newer)));

        HardNegativeMinerConfig config = HardNegativeMinerConfig.builder().setRunId(RUN).setDataset(train)
                .optPoolSize(POOL).optNegativesPerAnchor(M).optBlockRows(16).optBatchSize(25)
                .optPollTimeout(Duration.ofMillis(200)).optMaxCheckpoints(2).build();
        List<MiningOutcome> outcomes = new CopyOnWriteArrayList<>();
        HardNegativeMiner miner = HardNegativeMiner.create(cluster, topics, config, new MiningListener() {
            @Override
            public void onOutcome(MiningOutcome outcome) {
                outcomes.add(outcome);
            }
        });
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<List<MiningOutcome>> running = executor.submit(miner::run);
            await(() -> outcomes.size() >= 2, "2 outcomes, got " + outcomes);

            MiningOutcome.Mined mined = assertInstanceOf(MiningOutcome.Mined.class, outcomes.stream()
                    .filter(o -> o.step() == 4).findFirst().orElseThrow());
            assertEquals(POOL, mined.anchors());
            assertInstanceOf(MiningOutcome.Skipped.class, outcomes.stream().filter(o -> o.step() == 2).findFirst()
                    .orElseThrow());
            Map<String, HardNegativeSet> sets = readSets(cluster, topics, POOL);
            assertEquals(POOL, sets.size());
            for (int a = 0; a < POOL; a++) {
                HardNegativeSet set = sets.get(train.sampleId(a));
                assertEquals(train.sampleId(a), set.getAnchorId());
                assertEquals(RUN, set.getRunId());
                assertEquals(4L, set.getMinedWithStep());
                assertEquals(M, set.getCandidates().size(), "anchor " + a);
                float previous = Float.POSITIVE_INFINITY;
                for (Candidate c : set.getCandidates()) {
                    int index = index(c.getSampleId());
                    assertTrue(index < POOL, c.getSampleId() + " is outside the pool");
                    assertNotEquals(train.label(a), train.label(index), "anchor " + a + " got a positive");
                    assertTrue(c.getSimilarity() <= previous, "not sorted: " + set.getCandidates());
                    previous = c.getSimilarity();
                }
            }
            assertMatchesAnIndependentSearch(train, newer, sets);

            StoredCheckpoint tampered = checkpoint("step-6", 3);
            byte[] bytes = Files.readAllBytes(Path.of(tampered.uri()));
            bytes[bytes.length - 1] ^= 0x01;
            Files.write(Path.of(tampered.uri()), bytes);
            publish(cluster, topics, List.of(event(RUN, 6, tampered)));
            // maxCheckpoints = 2: mined step 4 and refused step 6, so run() returns by itself
            List<MiningOutcome> all = running.get(60, TimeUnit.SECONDS);
            MiningOutcome.Failed failed = assertInstanceOf(MiningOutcome.Failed.class, all.get(all.size() - 1));
            assertEquals(6, failed.step());
            assertEquals("hash-mismatch", failed.reason());
            assertTrue(failed.detail().contains(tampered.uri().toString()), failed.detail());

            List<ConsumerRecord<String, byte[]>> letters = TopicReader.read(cluster, topics.deadLetter().name(), 1,
                    Duration.ofSeconds(20));
            assertEquals(1, letters.size());
            DeadLetter letter = EventCodec.of(DeadLetter.class).decode(letters.get(0).value());
            assertEquals("hash-mismatch", letter.getErrorType());
            assertTrue(letter.getReason().contains("step 6"), letter.getReason());
            assertEquals(topics.checkpoints().name(), letter.getSourceTopic());
            List<ConsumerRecord<String, byte[]>> after = TopicReader.read(cluster, topics.hardNegatives().name(),
                    POOL, Duration.ofSeconds(20));
            assertEquals(POOL, after.size(), "the tampered checkpoint published sets");

            // the offsets were committed: a second miner of the group finds nothing to do
            HardNegativeMiner again = HardNegativeMiner.create(cluster, topics, config, MiningListener.NONE);
            Future<List<MiningOutcome>> second = executor.submit(again::run);
            Thread.sleep(3000);
            again.stop();
            assertEquals(List.of(), second.get(30, TimeUnit.SECONDS));
        } finally {
            executor.shutdownNow();
        }
    }

    /** The top candidates of a few anchors, recomputed with the model API and a full sort. */
    private void assertMatchesAnIndependentSearch(SyntheticShapes train, StoredCheckpoint stored,
                                                  Map<String, HardNegativeSet> sets) {
        float[][] unit = new float[POOL][];
        try (NDManager manager = NDManager.newBaseManager()) {
            ContrastiveEncoder encoder = CheckpointFiles.loadEncoder(stored, SPEC, manager);
            for (int i = 0; i < POOL; i++) {
                float[] p = encoder.project(manager.create(train.get(i).image().pixels(), encoder.inputShape(1)))
                        .toFloatArray();
                double norm = 0;
                for (float v : p) {
                    norm += v * v;
                }
                unit[i] = new float[p.length];
                for (int k = 0; k < p.length; k++) {
                    unit[i][k] = (float) (p[k] / Math.sqrt(norm));
                }
            }
        }
        for (int a : new int[] {0, 17, 59}) {
            int anchor = a;
            double[] sims = IntStream.range(0, POOL).mapToDouble(j -> {
                double s = 0;
                for (int k = 0; k < unit[anchor].length; k++) {
                    s += unit[anchor][k] * unit[j][k];
                }
                return s;
            }).toArray();
            List<Integer> expected = IntStream.range(0, POOL).filter(j -> train.label(j) != train.label(anchor))
                    .boxed().sorted(Comparator.comparingDouble((Integer j) -> -sims[j])).limit(M).toList();
            List<Candidate> got = sets.get(train.sampleId(a)).getCandidates();
            for (int k = 0; k < M; k++) {
                assertEquals(train.sampleId(expected.get(k)), got.get(k).getSampleId(), "anchor " + a + " rank " + k);
                assertEquals(sims[expected.get(k)], got.get(k).getSimilarity(), 1e-4);
            }
        }
    }

    private StoredCheckpoint checkpoint(String name, long seed) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ContrastiveEncoder encoder = Encoders.build(SPEC).initialize(manager, seed);
            return CheckpointFiles.write(dir, name, encoder.network());
        }
    }

    private static CheckpointEvent event(String runId, long step, StoredCheckpoint stored) {
        return CheckpointEvent.newBuilder().setRunId(runId).setStep(step).setTaskId(0).setTaskEnd(false)
                .setParameterUri(stored.uri().toString()).setSha256(stored.sha256Hex())
                .setByteSize(stored.byteSize()).setEncoderSpec(SPEC.toMap())
                .setLossConfig(Map.of("name", "infonce")).setOffsets(List.of()).setAttachments(List.of())
                .setProvenance(Provenance.newBuilder().setConfig(Map.of()).setSeed(1).setCodeVersion("test")
                        .setJavaVersion("17").setOs("linux").setArch("amd64").setDevice("cpu").build())
                .setCreatedAt(Instant.now()).build();
    }

    /** Publishes the events in one transaction, as the trainer announces checkpoints. */
    private static void publish(KafkaCluster cluster, EventTopics topics, List<CheckpointEvent> events) {
        try (KafkaProducer<String, CheckpointEvent> producer = new KafkaProducer<>(
                KafkaClientConfigs.transactionalProducer(cluster, "it-trainer", "it-trainer-"
                        + topics.catalog().prefix()), new StringSerializer(),
                topics.checkpoints().valueSerde().serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (CheckpointEvent event : events) {
                producer.send(new ProducerRecord<>(topics.checkpoints().name(), event.getRunId(), event));
            }
            producer.commitTransaction();
        }
    }

    private static Map<String, HardNegativeSet> readSets(KafkaCluster cluster, EventTopics topics, int expected) {
        EventCodec<HardNegativeSet> codec = EventCodec.of(HardNegativeSet.class);
        List<ConsumerRecord<String, byte[]>> records = TopicReader.read(cluster, topics.hardNegatives().name(),
                expected, Duration.ofSeconds(30));
        assertEquals(expected, records.size(), "one record per anchor");
        Map<String, HardNegativeSet> out = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            HardNegativeSet set = codec.decode(r.value());
            assertEquals(r.key(), set.getAnchorId());
            out.put(r.key(), set);
        }
        return out;
    }

    private static int index(String sampleId) {
        return Integer.parseInt(sampleId.substring(sampleId.lastIndexOf('/') + 1));
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
