package io.contrastream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.infra.KafkaClientConfigs;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.TopicCatalog;
import io.contrastream.infra.testing.SharedKafka;
import io.contrastream.model.EncoderSpec;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.HardNegativeSet;
import io.contrastream.schemas.codec.EventCodec;
import io.contrastream.trainer.engine.TrainBatch;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.optim.OptimizerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer joins sets published to the hard-negatives topic (committed ones only) into its batches. */
class HardNegativeTrainerIT {
    private static final EventCodec<AugmentedView> VIEWS = EventCodec.of(AugmentedView.class);
    private static final EventCodec<HardNegativeSet> SETS = EventCodec.of(HardNegativeSet.class);
    private static final String RUN = "hn1";
    private static final int SAMPLES = 24;

    @TempDir
    Path dir;

    private final KafkaCluster cluster = SharedKafka.cluster();

    @Test
    void shouldTrainWithTheCommittedMinedCandidatesOfEachSample() {
        TopicCatalog catalog = SharedKafka.freshCatalog(2);
        String topic = catalog.hardNegatives().name();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClientConfigs.transactionalProducer(
                cluster, "it-miner", "it-miner-" + catalog.prefix()), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            // s_i (label i % 3) is trained at step i / 4 + 1, after s_0..s_{4(i/4)-1}: s_{i-4} and s_{i-5} are
            // cached by then and of other labels, so with M = 2 both are mined
            for (int i = 5; i < SAMPLES; i++) {
                producer.send(new ProducerRecord<>(topic, "s" + i, SETS.encode(HardNegativeTrainingTest.set(RUN,
                        "s" + i, 1, "s" + (i - 4), "s" + (i - 5)))));
            }
            producer.send(new ProducerRecord<>(topic, "x", SETS.encode(HardNegativeTrainingTest.set("other-run",
                    "s20", 50, "s12", "s13"))));
            producer.commitTransaction();
            // an aborted, newer set must never be read
            producer.beginTransaction();
            for (int i = 20; i < SAMPLES; i++) {
                producer.send(new ProducerRecord<>(topic, "s" + i, SETS.encode(HardNegativeTrainingTest.set(RUN,
                        "s" + i, 100, "s" + (i - 7), "s" + (i - 8)))));
            }
            producer.flush();
            producer.abortTransaction();
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClientConfigs.producer(cluster, "it"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < SAMPLES; i++) {
                for (AugmentedView view : HardNegativeTrainingTest.sample(RUN, i)) {
                    producer.send(new ProducerRecord<>(catalog.views().name(), 0, "s" + i, VIEWS.encode(view)));
                }
            }
            producer.flush();
        }
        TrainerConfig config = TrainerConfig.builder().setRunId(RUN).setCatalog(catalog).setCheckpointDir(dir)
                .setEncoder(new EncoderSpec(EncoderSpec.Kind.MLP, ViewFixtures.SHAPE, List.of(16), 8, 4))
                .setLoss(LossConfig.of("infonce", 0.5f)).setOptimizer(OptimizerConfig.adam(1e-3f)).setSeed(7)
                .optBatchSize(4).optCheckpointEverySteps(3).optMaxSteps(SAMPLES / 4)
                .optIdleTimeout(Duration.ofSeconds(30)).optHardNegatives(2).optNegativeCacheSize(100).build();
        Map<Long, TrainBatch> batches = new TreeMap<>();
        TrainerSummary summary = TrainerWorker.create(cluster, config, new TrainerListener() {
            @Override
            public void onBatch(long step, TrainBatch batch) {
                batches.put(step, batch);
            }
        }).run();

        assertEquals(TrainerSummary.StopReason.MAX_STEPS, summary.reason());
        assertEquals(SAMPLES / 4, batches.size());
        int minedRows = 0;
        for (Map.Entry<Long, TrainBatch> e : batches.entrySet()) {
            TrainBatch batch = e.getValue();
            if (e.getKey() == 1L) {
                assertTrue(batch.negativePixels().isEmpty(), "nothing cached before the first step");
                continue;
            }
            for (int row = 0; row < 4; row++) {
                int sample = HardNegativeTrainingTest.rowSample(batch, row);
                if (sample >= 5) {
                    assertEquals(List.of(sample - 4, sample - 5), List.of(
                            HardNegativeTrainingTest.negativeSample(batch, row, 0),
                            HardNegativeTrainingTest.negativeSample(batch, row, 1)),
                            "step " + e.getKey() + " sample s" + sample + ": its committed mined candidates");
                    minedRows++;
                }
            }
        }
        assertEquals(SAMPLES - 5, minedRows, "s5..s23, all trained after step 1");
        assertEquals(2L * minedRows, summary.negativesMined());
    }
}
