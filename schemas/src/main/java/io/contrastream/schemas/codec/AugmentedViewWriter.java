package io.contrastream.schemas.codec;

import io.contrastream.schemas.AugmentationStep;
import io.contrastream.schemas.AugmentedView;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Writes the single-object encoding of an {@link AugmentedView} whose tensors are FLOAT32 images given as float
 * arrays: the same bytes as {@code EventCodec.of(AugmentedView.class).encode(view)} for the equivalent view object,
 * without building that object, its tensors' little-endian byte copies or Avro's per-field dispatch. The run id,
 * recipe and seed are fixed per writer, and the recipe's bytes are encoded once (by Avro itself).
 *
 * <p>The producer makes views at tens of thousands per second, where the generic encoder cost as much as a third of
 * making a view. The layout written here follows the current {@code AugmentedView} schema field by field; a test
 * compares it with {@link EventCodec} byte for byte, so a schema change that this class does not follow fails the
 * build. Thread-safe.
 */
public final class AugmentedViewWriter {

    /** FLOAT32 is the first symbol of the DType enum. */
    private static final int FLOAT32_INDEX = 0;

    private final byte[] header;
    private final byte[] runId;
    private final byte[] recipe;
    private final long seed;

    /**
     * @param runId  the run id of every view
     * @param recipe the recipe of every view
     * @param seed   the producer's augmentation seed of every view
     */
    public AugmentedViewWriter(String runId, List<AugmentationStep> recipe, long seed) {
        Schema schema = AugmentedView.getClassSchema();
        long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        this.header = new byte[10];
        header[0] = (byte) 0xC3;
        header[1] = (byte) 0x01;
        for (int i = 0; i < 8; i++) {
            header[2 + i] = (byte) (fingerprint >>> (8 * i));
        }
        this.runId = runId.getBytes(StandardCharsets.UTF_8);
        this.recipe = encodeRecipe(schema.getField("recipe").schema(), recipe);
        this.seed = seed;
    }

    private static byte[] encodeRecipe(Schema arraySchema, List<AugmentationStep> recipe) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new SpecificDatumWriter<List<AugmentationStep>>(arraySchema).write(recipe, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the recipe", e);
        }
    }

    /** A FLOAT32 tensor of shape {@code [channels, height, width]}, CHW values; the array is read, not copied. */
    public record Float32Image(int channels, int height, int width, float[] values) {
        /** Validates the shape against the values. */
        public Float32Image {
            if (values == null || (long) channels * height * width != values.length) {
                throw new IllegalArgumentException("Float32Image shape " + channels + "x" + height + "x" + width
                        + " does not match " + (values == null ? "null" : values.length + " values"));
            }
        }
    }

    /**
     * The encoded view.
     *
     * @param original the un-augmented image, or {@code null} for none
     */
    public byte[] write(String sampleId, int viewIndex, int viewCount, int epoch, Integer label, Integer taskId,
                        String dataset, Float32Image tensor, long viewSeed, Instant producedAt,
                        Float32Image original) {
        byte[] sample = sampleId.getBytes(StandardCharsets.UTF_8);
        byte[] data = dataset.getBytes(StandardCharsets.UTF_8);
        long millis = producedAt.toEpochMilli();
        int size = header.length + stringSize(runId) + stringSize(sample) + longSize(viewIndex) + longSize(viewCount)
                + longSize(epoch) + unionSize(label) + unionSize(taskId) + stringSize(data) + tensorSize(tensor)
                + recipe.length + longSize(seed) + longSize(viewSeed) + longSize(millis)
                + (original == null ? 1 : 1 + tensorSize(original));
        byte[] out = new byte[size];
        System.arraycopy(header, 0, out, 0, header.length);
        int p = header.length;
        p = putString(out, p, runId);
        p = putString(out, p, sample);
        p = putLong(out, p, viewIndex);
        p = putLong(out, p, viewCount);
        p = putLong(out, p, epoch);
        p = putUnion(out, p, label);
        p = putUnion(out, p, taskId);
        p = putString(out, p, data);
        p = putTensor(out, p, tensor);
        System.arraycopy(recipe, 0, out, p, recipe.length);
        p += recipe.length;
        p = putLong(out, p, seed);
        p = putLong(out, p, viewSeed);
        p = putLong(out, p, millis);
        if (original == null) {
            p = putLong(out, p, 0);
        } else {
            p = putLong(out, p, 1);
            p = putTensor(out, p, original);
        }
        if (p != size) {
            throw new IllegalStateException("AugmentedViewWriter wrote " + p + " bytes, sized " + size);
        }
        return out;
    }

    // Avro binary encoding: int and long as zig-zag varints, a string or bytes as its length then its bytes, a union
    // as its branch index then the value, an array as blocks (count then items) ended by a zero count.

    private static int tensorSize(Float32Image t) {
        int bytes = 4 * t.values().length;
        return longSize(FLOAT32_INDEX) + longSize(3) + longSize(t.channels()) + longSize(t.height())
                + longSize(t.width()) + 1 + longSize(bytes) + bytes;
    }

    private static int putTensor(byte[] out, int p, Float32Image t) {
        p = putLong(out, p, FLOAT32_INDEX);
        p = putLong(out, p, 3);
        p = putLong(out, p, t.channels());
        p = putLong(out, p, t.height());
        p = putLong(out, p, t.width());
        p = putLong(out, p, 0);
        float[] v = t.values();
        p = putLong(out, p, 4L * v.length);
        // a bulk copy (the raw bits of each float, little-endian), not a store per value
        ByteBuffer.wrap(out, p, 4 * v.length).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(v);
        return p + 4 * v.length;
    }

    private static int unionSize(Integer value) {
        return value == null ? 1 : 1 + longSize(value);
    }

    private static int putUnion(byte[] out, int p, Integer value) {
        if (value == null) {
            return putLong(out, p, 0);
        }
        return putLong(out, putLong(out, p, 1), value);
    }

    private static int stringSize(byte[] utf8) {
        return longSize(utf8.length) + utf8.length;
    }

    private static int putString(byte[] out, int p, byte[] utf8) {
        p = putLong(out, p, utf8.length);
        System.arraycopy(utf8, 0, out, p, utf8.length);
        return p + utf8.length;
    }

    private static int longSize(long v) {
        long z = (v << 1) ^ (v >> 63);
        int n = 1;
        while ((z & ~0x7FL) != 0) {
            z >>>= 7;
            n++;
        }
        return n;
    }

    private static int putLong(byte[] out, int p, long v) {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            out[p++] = (byte) ((z & 0x7F) | 0x80);
            z >>>= 7;
        }
        out[p++] = (byte) z;
        return p;
    }
}
