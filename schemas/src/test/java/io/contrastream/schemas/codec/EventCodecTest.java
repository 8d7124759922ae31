package io.contrastream.schemas.codec;

import io.contrastream.schemas.MetricRecord;
import io.contrastream.schemas.TaskEvent;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import io.contrastream.schemas.MetricStatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventCodecTest {

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void shouldRoundTripEveryEventType() {
        for (SpecificRecord event : SampleEvents.all()) {
            EventCodec codec = EventCodec.of(event.getClass());
            assertEquals(event, codec.decode(codec.encode(event)));
        }
    }

    @Test
    void shouldStartWithMarkerAndFingerprint() {
        EventCodec<TaskEvent> codec = EventCodec.of(TaskEvent.class);
        byte[] bytes = codec.encode((TaskEvent) SampleEvents.all().get(2));
        assertEquals((byte) 0xC3, bytes[0]);
        assertEquals((byte) 0x01, bytes[1]);
        long fingerprint = 0;
        for (int i = 9; i >= 2; i--) {
            fingerprint = (fingerprint << 8) | (bytes[i] & 0xFF);
        }
        assertEquals(SchemaHistory.fingerprint(codec.schema()), fingerprint);
    }

    @Test
    void shouldNameWrongMagicWithTopicPartitionOffset() {
        EventCodec<MetricRecord> codec = EventCodec.of(MetricRecord.class);
        EventDecodingException e = assertThrows(EventDecodingException.class,
                () -> decodeAt(codec, new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
        assertEquals(EventDecodingException.Kind.WRONG_MAGIC, e.kind());
        assertTrue(e.getMessage().contains("contrastream.metrics-3@42"), e.getMessage());
    }

    @Test
    void shouldReportTruncatedPayload() {
        EventCodec<MetricRecord> codec = EventCodec.of(MetricRecord.class);
        byte[] full = codec.encode((MetricRecord) SampleEvents.all().get(5));
        EventDecodingException e = assertThrows(EventDecodingException.class,
                () -> codec.decode(Arrays.copyOf(full, full.length - 12)));
        assertEquals(EventDecodingException.Kind.TRUNCATED, e.kind(), e.getMessage());
    }

    @Test
    void shouldReportUnknownFingerprint() throws IOException {
        Schema foreign = SchemaBuilder.record("MetricRecord").namespace("io.contrastream.schemas").fields()
                .requiredString("somethingElse").endRecord();
        GenericRecord record = new GenericData.Record(foreign);
        record.put("somethingElse", "x");
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), foreign).encode(record).array();
        EventDecodingException e = assertThrows(EventDecodingException.class,
                () -> EventCodec.of(MetricRecord.class).decode(bytes));
        assertEquals(EventDecodingException.Kind.UNKNOWN_FINGERPRINT, e.kind());
    }

    @Test
    void shouldDecodeARecordFromAnOlderWriterVersion() throws IOException {
        // An older MetricRecord writer without the later optional fields: the reader fills their defaults.
        Schema older = SchemaBuilder.record("MetricRecord").namespace("io.contrastream.schemas").fields()
                .requiredString("runId").requiredLong("step").requiredString("metric").requiredDouble("value")
                .requiredString("split").name("createdAt").type().longType().noDefault().endRecord();
        GenericRecord record = new GenericData.Record(older);
        record.put("runId", "r");
        record.put("step", 3L);
        record.put("metric", "auc");
        record.put("value", 0.5);
        record.put("split", "test");
        record.put("createdAt", 0L);
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(record).array();
        assertThrows(EventDecodingException.class, () -> EventCodec.of(MetricRecord.class).decode(bytes),
                "a writer outside the history is unknown");
        MetricRecord decoded = EventCodec.of(MetricRecord.class, List.of(older)).decode(bytes);
        assertEquals("auc", decoded.getMetric());
        assertEquals(0.5, decoded.getValue());
        assertEquals(null, decoded.getTaskId());
        assertEquals(Map.of(), decoded.getLabels());
        assertEquals(MetricStatus.OK, decoded.getStatus());
    }

    private static <T extends SpecificRecord> T decodeAt(EventCodec<T> codec, byte[] bytes) {
        try {
            return codec.decode(bytes);
        } catch (EventDecodingException e) {
            throw e.at("contrastream.metrics", 3, 42);
        }
    }
}
