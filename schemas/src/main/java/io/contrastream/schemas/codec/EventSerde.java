package io.contrastream.schemas.codec;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serde} over an {@link EventCodec}. A value that cannot be decoded raises
 * {@link EventDecodingException} naming the topic; Kafka clients wrap it in a {@code RecordDeserializationException}
 * carrying the partition and offset, and Kafka Streams hands it to the configured deserialization handler.
 *
 * @param <T> the generated Avro class of the event
 */
public final class EventSerde<T extends SpecificRecord> implements Serde<T> {
    private final EventCodec<T> codec;

    public EventSerde(EventCodec<T> codec) {
        this.codec = codec;
    }

    /** A serde for the generated event class {@code type}. */
    public static <T extends SpecificRecord> EventSerde<T> of(Class<T> type) {
        return new EventSerde<>(EventCodec.of(type));
    }

    public EventCodec<T> codec() {
        return codec;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, event) -> event == null ? null : codec.encode(event);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return codec.decode(bytes);
            } catch (EventDecodingException e) {
                throw e.in(topic);
            }
        };
    }
}
