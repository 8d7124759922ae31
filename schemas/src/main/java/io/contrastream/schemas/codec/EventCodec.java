package io.contrastream.schemas.codec;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Encodes and decodes one event type with Avro single-object encoding: the marker {@code C3 01}, the
 * writer schema's 8-byte little-endian CRC-64-AVRO fingerprint, then the Avro binary body. The decoder
 * knows every version in {@link SchemaHistory}, so records from older writers resolve to the current
 * schema. Thread-safe.
 *
 * @param <T> the generated Avro class of the event
 */
public final class EventCodec<T extends SpecificRecord> {
    private final Class<T> type;
    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private EventCodec(Class<T> type, List<Schema> extraWriters) {
        this.type = type;
        this.schema = SpecificData.get().getSchema(type);
        SpecificData model = SpecificData.getForClass(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        for (Schema earlier : SchemaHistory.versionsOf(schema.getName())) {
            decoder.addSchema(earlier);
        }
        extraWriters.forEach(decoder::addSchema);
    }

    /** A codec for the generated event class {@code type}. */
    public static <T extends SpecificRecord> EventCodec<T> of(Class<T> type) {
        return new EventCodec<>(type, List.of());
    }

    /** A codec that also knows writer schemas outside the shipped history (tests of schema evolution). */
    static <T extends SpecificRecord> EventCodec<T> of(Class<T> type, List<Schema> extraWriters) {
        return new EventCodec<>(type, extraWriters);
    }

    public Class<T> type() {
        return type;
    }

    public Schema schema() {
        return schema;
    }

    /** The single-object encoding of {@code event}. */
    public byte[] encode(T event) {
        try {
            ByteBuffer buffer = encoder.encode(event);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + schema.getName(), e);
        }
    }

    /**
     * Decodes a single-object encoded message.
     *
     * @throws EventDecodingException naming what was wrong; use {@link EventDecodingException#at} to add where
     */
    public T decode(byte[] bytes) {
        if (bytes == null) {
            throw new EventDecodingException(EventDecodingException.Kind.TRUNCATED, schema.getName(),
                    "no bytes (null value)", null);
        }
        try {
            return decoder.decode(bytes);
        } catch (MissingSchemaException e) {
            throw new EventDecodingException(EventDecodingException.Kind.UNKNOWN_FINGERPRINT, schema.getName(),
                    e.getMessage() + "; known versions: " + SchemaHistory.versionsOf(schema.getName()).size()
                            + " (a newer writer? upgrade this reader)", e);
        } catch (BadHeaderException e) {
            throw new EventDecodingException(EventDecodingException.Kind.WRONG_MAGIC, schema.getName(),
                    e.getMessage() + " (expected Avro single-object encoding, marker C3 01)", e);
        } catch (EOFException e) {
            throw new EventDecodingException(EventDecodingException.Kind.TRUNCATED, schema.getName(),
                    "payload of " + bytes.length + " bytes ended early", e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            Throwable root = e.getCause() instanceof EOFException ? e.getCause() : e;
            EventDecodingException.Kind kind = root instanceof EOFException
                    ? EventDecodingException.Kind.TRUNCATED : EventDecodingException.Kind.MALFORMED;
            throw new EventDecodingException(kind, schema.getName(),
                    "payload of " + bytes.length + " bytes: " + e, e);
        }
    }
}
