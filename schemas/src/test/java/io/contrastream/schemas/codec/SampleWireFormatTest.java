package io.contrastream.schemas.codec;

import io.contrastream.schemas.DType;
import io.contrastream.schemas.Sample;
import io.contrastream.schemas.Tensor;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A producer in another language follows only the README's description of the wire format; this test writes a
 * Sample the same way, byte by byte, without any Avro writer, and checks that our reader decodes it.
 */
class SampleWireFormatTest {

    @Test
    void shouldDecodeASampleWrittenByHandFromTheReadmeDescription() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // Header: marker C3 01, then the 8-byte little-endian CRC-64-AVRO fingerprint of the schema's canonical form.
        out.write(0xC3);
        out.write(0x01);
        long fingerprint = SchemaNormalization.parsingFingerprint64(Sample.getClassSchema());
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(fingerprint).array());
        // Body: the fields in schema order, Avro binary encoding.
        writeString(out, "camera-7/frame-000042");     // sampleId
        writeLong(out, 1);                            // label: union branch 1 (int)
        writeLong(out, 3);                            //   label = 3
        writeLong(out, 0);                            // taskId: union branch 0 (null)
        writeLong(out, 0);                            // payload: union branch 0 (Tensor)
        writeLong(out, 0);                            //   dtype: enum index 0 = FLOAT32
        writeLong(out, 3);                            //   shape: one block of 3 items
        writeLong(out, 1);
        writeLong(out, 1);
        writeLong(out, 2);
        writeLong(out, 0);                            //   end of array
        byte[] pixels = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.25f).putFloat(1.0f).array();
        writeLong(out, pixels.length);                //   data: length, then the bytes
        out.writeBytes(pixels);
        writeString(out, "python-client");            // source
        writeLong(out, 1_700_000_000_123L);           // eventTime: epoch millis

        Sample sample = EventCodec.of(Sample.class).decode(out.toByteArray());

        assertEquals("camera-7/frame-000042", sample.getSampleId());
        assertEquals(3, sample.getLabel());
        assertNull(sample.getTaskId());
        Tensor tensor = (Tensor) sample.getPayload();
        assertEquals(DType.FLOAT32, tensor.getDtype());
        assertEquals(List.of(1, 1, 2), tensor.getShape());
        byte[] data = new byte[tensor.getData().remaining()];
        tensor.getData().duplicate().get(data);
        assertArrayEquals(pixels, data);
        assertEquals("python-client", sample.getSource());
        assertEquals(Instant.ofEpochMilli(1_700_000_000_123L), sample.getEventTime());
    }

    /** Avro long: zig-zag, then base-128 varint, low group first. */
    private static void writeLong(ByteArrayOutputStream out, long value) {
        long zigzag = (value << 1) ^ (value >> 63);
        while ((zigzag & ~0x7FL) != 0) {
            out.write((int) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        out.write((int) zigzag);
    }

    /** Avro string: length as a long, then UTF-8 bytes. */
    private static void writeString(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeLong(out, bytes.length);
        out.writeBytes(bytes);
    }
}
