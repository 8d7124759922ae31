package io.contrastream.producers.internal;

import io.contrastream.data.Image;
import io.contrastream.data.ImageCodec;
import io.contrastream.infra.DeadLetters;
import io.contrastream.infra.Topic;
import io.contrastream.schemas.DeadLetter;
import io.contrastream.schemas.DType;
import io.contrastream.schemas.EncodedImage;
import io.contrastream.schemas.Sample;
import io.contrastream.schemas.Tensor;
import io.contrastream.schemas.codec.EventCodec;
import io.contrastream.schemas.codec.EventDecodingException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes and validates the raw value of a samples record into a {@link Checked} outcome. Bytes that are not a
 * decodable {@link Sample} are rejected here too ({@link #DESERIALIZATION}), so that every dead letter of the stage is
 * written by the topology, inside its exactly-once transaction (a deserialisation handler could only dead-letter
 * through a side producer, outside it). A rejected record carries its {@link DeadLetter} (the record's original bytes,
 * its source topic-partition-offset and the reason) and the dead-letter headers. A null value (tombstone) is skipped.
 */
public final class SampleCheck implements FixedKeyProcessor<String, byte[], Checked> {

    /** Error types written into dead letters. */
    public static final String DESERIALIZATION = "DESERIALIZATION";
    public static final String UNKNOWN_MEDIA_TYPE = "UNKNOWN_MEDIA_TYPE";
    public static final String UNDECODABLE_IMAGE = "UNDECODABLE_IMAGE";
    public static final String SHAPE_MISMATCH = "SHAPE_MISMATCH";
    public static final String UNSUPPORTED_DTYPE = "UNSUPPORTED_DTYPE";
    public static final String VALUE_OUT_OF_RANGE = "VALUE_OUT_OF_RANGE";
    public static final String LABEL_OUT_OF_RANGE = "LABEL_OUT_OF_RANGE";

    private static final Logger LOG = LoggerFactory.getLogger(SampleCheck.class);
    private static final EventCodec<Sample> CODEC = EventCodec.of(Sample.class);

    private final Topic<String, DeadLetter> deadLetterTopic;
    private final Set<Integer> classes;
    private final List<Integer> expectedShape;
    private final String worker;
    private FixedKeyProcessorContext<String, Checked> context;

    /**
     * @param deadLetterTopic where rejects go
     * @param classes         accepted labels, empty = any
     * @param expectedShape   required {@code [C, H, W]}, empty = any
     * @param worker          worker name written into dead letters
     */
    public SampleCheck(Topic<String, DeadLetter> deadLetterTopic, Set<Integer> classes, List<Integer> expectedShape,
                       String worker) {
        this.deadLetterTopic = deadLetterTopic;
        this.classes = classes;
        this.expectedShape = expectedShape;
        this.worker = worker;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Checked> ctx) {
        this.context = ctx;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        byte[] bytes = record.value();
        if (bytes == null) {
            return;
        }
        RecordMetadata meta = context.recordMetadata().orElse(null);
        String topic = meta == null ? "unknown" : meta.topic();
        int partition = meta == null ? -1 : meta.partition();
        long offset = meta == null ? -1 : meta.offset();
        Checked outcome;
        try {
            outcome = check(CODEC.decode(bytes));
        } catch (EventDecodingException e) {
            outcome = reject(DESERIALIZATION, e.at(topic, partition, offset).getMessage());
        }
        if (outcome instanceof Checked.Rejected r) {
            LOG.warn("Rejected sample record {}-{}@{} ({}), sent to {}: {}", topic, partition, offset, r.errorType(),
                    deadLetterTopic.name(), r.reason());
            byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
            ProducerRecord<String, DeadLetter> letter = DeadLetters.of(deadLetterTopic, topic, partition, offset, key,
                    bytes, r.errorType(), r.reason(), worker);
            context.forward(record.withValue((Checked) new Checked.Rejected(r.errorType(), r.reason(), letter.value()))
                    .withHeaders(letter.headers()));
        } else {
            context.forward(record.withValue(outcome));
        }
    }

    /** Validates one sample. */
    public Checked check(Sample sample) {
        String id = sample.getSampleId();
        Integer label = sample.getLabel();
        if (label != null && (label < 0 || (!classes.isEmpty() && !classes.contains(label)))) {
            return reject(LABEL_OUT_OF_RANGE, "sample " + id + " label " + label + " is outside the configured classes "
                    + (classes.isEmpty() ? "(>= 0)" : classes));
        }
        Object payload = sample.getPayload();
        Image image;
        if (payload instanceof Tensor t) {
            try {
                image = fromTensor(id, t);
            } catch (Reject e) {
                return reject(e.type, e.getMessage());
            }
        } else if (payload instanceof EncodedImage e) {
            String media = e.getMediaType();
            if (!"image/png".equals(media) && !"image/jpeg".equals(media)) {
                return reject(UNKNOWN_MEDIA_TYPE, "sample " + id + " media type '" + media
                        + "' is not image/png or image/jpeg");
            }
            try {
                image = ImageCodec.decode(bytes(e.getData()));
            } catch (IllegalArgumentException ex) {
                return reject(UNDECODABLE_IMAGE, "sample " + id + " " + media + ": " + ex.getMessage());
            }
        } else {
            return reject(UNSUPPORTED_DTYPE, "sample " + id + " has no payload");
        }
        if (!expectedShape.isEmpty() && !expectedShape.equals(List.of(image.channels(), image.height(), image.width()))) {
            return reject(SHAPE_MISMATCH, "sample " + id + " is " + image.channels() + "x" + image.height() + "x"
                    + image.width() + " but this stage expects " + expectedShape);
        }
        return new Checked.Valid(id, label, sample.getTaskId(), sample.getSource(), image);
    }

    private static Checked reject(String type, String reason) {
        return new Checked.Rejected(type, reason, null);
    }

    private static final class Reject extends Exception {
        private static final long serialVersionUID = 1L;
        private final String type;

        Reject(String type, String message) {
            super(message, null, false, false);
            this.type = type;
        }
    }

    private static Image fromTensor(String id, Tensor t) throws Reject {
        List<Integer> shape = t.getShape();
        int c;
        int h;
        int w;
        if (shape.size() == 3) {
            c = shape.get(0);
            h = shape.get(1);
            w = shape.get(2);
        } else if (shape.size() == 2) {
            c = 1;
            h = shape.get(0);
            w = shape.get(1);
        } else {
            throw new Reject(SHAPE_MISMATCH, "sample " + id + " tensor shape " + shape + " is not [C, H, W] or [H, W]");
        }
        if (c <= 0 || h <= 0 || w <= 0) {
            throw new Reject(SHAPE_MISMATCH, "sample " + id + " tensor shape " + shape + " has a non-positive size");
        }
        DType dtype = t.getDtype();
        int elementSize;
        if (dtype == DType.FLOAT32) {
            elementSize = 4;
        } else if (dtype == DType.UINT8) {
            elementSize = 1;
        } else {
            throw new Reject(UNSUPPORTED_DTYPE, "sample " + id + " dtype " + dtype + " is not FLOAT32 or UINT8");
        }
        byte[] data = bytes(t.getData());
        long expected = (long) c * h * w * elementSize;
        if (data.length != expected) {
            throw new Reject(SHAPE_MISMATCH, "sample " + id + " tensor shape " + shape + " " + dtype + " needs "
                    + expected + " bytes but has " + data.length);
        }
        if (dtype == DType.UINT8) {
            return Image.fromUint8(c, h, w, data, 0);
        }
        Image image = Image.fromFloat32LE(new int[] {c, h, w}, data);
        try {
            return image.checkRange();
        } catch (IllegalArgumentException e) {
            throw new Reject(VALUE_OUT_OF_RANGE, "sample " + id + ": " + e.getMessage());
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
