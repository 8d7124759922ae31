package io.contrastream.producers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.data.SyntheticShapes;
import io.contrastream.infra.KafkaClientConfigs;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.TopicCatalog;
import io.contrastream.infra.testing.SharedKafka;
import io.contrastream.producers.internal.SampleCheck;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.DeadLetter;
import io.contrastream.schemas.codec.EventCodec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AugmentStageIT {

    @TempDir
    Path stateDir;

    @Test
    void shouldAugmentIngestedSamplesIntoEveryViewExactlyOnceAndDeadLetterJunk() throws Exception {
        KafkaCluster cluster = SharedKafka.cluster();
        TopicCatalog topics = SharedKafka.freshCatalog(2);
        SyntheticShapes data = new SyntheticShapes("train", 120, 1, 28, 28, 4L);
        ProduceSummary ingested = new SampleIngestor(new SampleIngestor.Config("it", data, false, 0, 0))
                .run(cluster, topics, null);
        assertEquals(120, ingested.recordsSent());
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(KafkaClientConfigs.producer(cluster, "junk"),
                new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topics.samples().name(), "junk", new byte[] {9, 9, 9})).get();
        }

        AugmentConfig config = AugmentConfig.defaults(topics, "it-run").withViewCount(2).withSeed(5);
        EventCodec<AugmentedView> codec = EventCodec.of(AugmentedView.class);
        List<ConsumerRecord<String, byte[]>> records;
        try (AugmentStage stage = AugmentStage.start(cluster, config, stateDir)) {
            records = TopicReader.read(cluster, topics.views().name(), 240, Duration.ofSeconds(90));
            assertTrue(stage.state().isRunningOrRebalancing(), "stage state " + stage.state());
        }
        Map<String, Integer> seen = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            AugmentedView v = codec.decode(r.value());
            seen.merge(v.getSampleId() + "#" + v.getViewIndex(), 1, Integer::sum);
        }
        assertEquals(240, records.size());
        assertEquals(240, seen.size());
        assertTrue(seen.values().stream().allMatch(c -> c == 1));
        AugmentedView first = codec.decode(records.get(0).value());
        int index = Integer.parseInt(first.getSampleId().substring(first.getSampleId().lastIndexOf('/') + 1));
        ByteBuffer data0 = first.getTensor().getData().duplicate();
        byte[] bytes = new byte[data0.remaining()];
        data0.get(bytes);
        assertArrayEquals(ViewFactory.recreate(first, data.get(index).image()), bytes);

        EventCodec<DeadLetter> letters = EventCodec.of(DeadLetter.class);
        List<DeadLetter> dead = TopicReader.read(cluster, topics.deadLetter().name(), 1, Duration.ofSeconds(30))
                .stream().map(r -> letters.decode(r.value())).toList();
        assertEquals(1, dead.size());
        assertEquals(SampleCheck.DESERIALIZATION, dead.get(0).getErrorType());
        assertEquals(topics.samples().name(), dead.get(0).getSourceTopic());
    }
}
