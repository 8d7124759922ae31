package io.contrastream.infra;

import io.contrastream.infra.testing.SharedKafka;
import io.contrastream.schemas.codec.EventCodec;
import io.contrastream.schemas.codec.EventTypes;
import io.contrastream.schemas.codec.SampleEvents;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EventRoundTripIT {

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void shouldRoundTripEveryEventTypeThroughTheBroker() {
        KafkaCluster cluster = SharedKafka.cluster();
        TopicCatalog catalog = SharedKafka.freshCatalog(1);
        String topic = catalog.deadLetter().name();
        List<SpecificRecord> events = SampleEvents.all();
        assertEquals(EventTypes.ALL.size(), events.size(), "one sample event per event type");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                KafkaClientConfigs.producer(cluster, "roundtrip"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (SpecificRecord event : events) {
                EventCodec codec = EventCodec.of(event.getClass());
                producer.send(new ProducerRecord<>(topic, event.getSchema().getName().getBytes(StandardCharsets.UTF_8),
                        codec.encode(event)));
            }
            producer.flush();
        }
        List<SpecificRecord> received = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                KafkaClientConfigs.reader(cluster, "roundtrip-reader"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < events.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    SpecificRecord expected = events.get(received.size());
                    EventCodec codec = EventCodec.of(expected.getClass());
                    assertEquals(expected.getSchema().getName(), new String(record.key(), StandardCharsets.UTF_8));
                    received.add(codec.decode(record.value()));
                }
            }
        }
        assertEquals(events, received);
    }
}
