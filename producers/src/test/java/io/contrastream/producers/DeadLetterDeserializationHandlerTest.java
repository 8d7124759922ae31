package io.contrastream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.schemas.DeadLetter;
import io.contrastream.schemas.codec.EventSerde;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.DeserializationHandlerResponse;
import org.junit.jupiter.api.Test;

class DeadLetterDeserializationHandlerTest {

    @Test
    void shouldNameTheMissingTopicProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeadLetterDeserializationHandler().configure(Map.of()));
        assertTrue(e.getMessage().contains(DeadLetterDeserializationHandler.DEAD_LETTER_TOPIC), e.getMessage());
    }

    @Test
    void shouldFailTheStageRatherThanDropWhenTheDeadLetterCannotBeWritten() {
        MockProducer<String, DeadLetter> broken = new MockProducer<>(false, null, new StringSerializer(),
                EventSerde.of(DeadLetter.class).serializer());
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(Map.of(DeadLetterDeserializationHandler.DEAD_LETTER_TOPIC, "dlq",
                DeadLetterDeserializationHandler.PRODUCER, broken));
        Thread failer = new Thread(() -> {
            while (!broken.errorNext(new IllegalStateException("broker gone"))) {
                Thread.onSpinWait();
            }
        });
        failer.start();
        DeserializationHandlerResponse response = handler.handle((org.apache.kafka.streams.errors.ErrorHandlerContext) null,
                new ConsumerRecord<>("samples", 0, 5L, "k".getBytes(), new byte[] {1}), new RuntimeException("bad"));
        assertEquals(DeserializationHandlerResponse.FAIL, response);
    }
}
