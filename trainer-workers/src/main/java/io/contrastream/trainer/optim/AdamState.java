package io.contrastream.trainer.optim;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A snapshot of {@link DirectAdam}'s state, on the Java heap: the update count and, per parameter (by its name in
 * {@code Block.getParameters()}), the first and second moments. {@link #writeTo} / {@link #readFrom} define the
 * checkpoint file format, version {@value #VERSION}:
 * <pre>
 *   int   magic 0x43414441 ("CADA")     int version
 *   int   updates                        int parameter count
 *   per parameter:  UTF name, int rank, long[rank] shape,
 *                   float32[size] first moment, float32[size] second moment (little-endian bit patterns)
 * </pre>
 * Integers big-endian ({@link DataOutputStream}); no bytes after the last parameter.
 *
 * @param updates updates applied when the snapshot was taken (the next update is number {@code updates + 1})
 * @param moments one entry per parameter, names unique
 */
public record AdamState(int updates, List<Moments> moments) {
    /** File magic: "CADA" (contrastream Adam). */
    public static final int MAGIC = 0x43414441;
    /** The format version {@link #writeTo} writes and {@link #readFrom} accepts. */
    public static final int VERSION = 1;
    private static final int MAX_RANK = 8;

    public AdamState {
        if (updates < 0) {
            throw new IllegalArgumentException("updates must be >= 0, got " + updates);
        }
        moments = List.copyOf(moments);
        Set<String> names = new HashSet<>();
        for (Moments m : moments) {
            if (!names.add(m.name())) {
                throw new IllegalArgumentException("parameter '" + m.name() + "' appears twice");
            }
        }
    }

    /**
     * One parameter's moments.
     *
     * @param name   the parameter's name in {@code Block.getParameters()}
     * @param shape  the parameter's shape
     * @param first  first moment, row-major, {@code product(shape)} values
     * @param second second moment, same layout
     */
    public record Moments(String name, long[] shape, float[] first, float[] second) {
        public Moments {
            Objects.requireNonNull(name, "name");
            shape = shape.clone();
            long size = 1;
            for (long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("parameter '" + name + "': negative dimension in "
                            + Arrays.toString(shape));
                }
                size = Math.multiplyExact(size, d);
            }
            if (first.length != size || second.length != size) {
                throw new IllegalArgumentException("parameter '" + name + "' of shape " + Arrays.toString(shape)
                        + " needs " + size + " values per moment, got " + first.length + " and " + second.length);
            }
        }
    }

    /** Writes the snapshot in the format above. Does not close {@code out}. */
    public void writeTo(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(MAGIC);
        data.writeInt(VERSION);
        data.writeInt(updates);
        data.writeInt(moments.size());
        for (Moments m : moments) {
            data.writeUTF(m.name());
            data.writeInt(m.shape().length);
            for (long d : m.shape()) {
                data.writeLong(d);
            }
            writeFloats(data, m.first());
            writeFloats(data, m.second());
        }
        data.flush();
    }

    /**
     * Reads a snapshot written by {@link #writeTo}.
     *
     * @param source names the file in error messages
     * @throws IOException naming {@code source} (and the parameter, where one is involved) if the magic or version is
     *                     wrong, the data ends early, a value is out of range, or bytes follow the last parameter
     */
    public static AdamState readFrom(InputStream in, String source) throws IOException {
        DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16));
        String where = "optimizer state " + source;
        String parameter = null;
        try {
            int magic = data.readInt();
            if (magic != MAGIC) {
                throw new IOException(where + " is not an Adam state file (magic 0x" + Integer.toHexString(magic)
                        + ", expected 0x" + Integer.toHexString(MAGIC) + ")");
            }
            int version = data.readInt();
            if (version != VERSION) {
                throw new IOException(where + " has format version " + version + "; this build reads version "
                        + VERSION);
            }
            int updates = data.readInt();
            int count = data.readInt();
            if (updates < 0 || count < 0) {
                throw new IOException(where + " is malformed: updates " + updates + ", parameters " + count);
            }
            List<Moments> moments = new ArrayList<>(Math.min(count, 1024));
            for (int i = 0; i < count; i++) {
                parameter = "#" + i;
                String name = data.readUTF();
                parameter = "'" + name + "'";
                int rank = data.readInt();
                if (rank < 0 || rank > MAX_RANK) {
                    throw new IOException(where + ", parameter " + parameter + ": rank " + rank + " out of range");
                }
                long[] shape = new long[rank];
                long size = 1;
                for (int d = 0; d < rank; d++) {
                    shape[d] = data.readLong();
                    if (shape[d] < 0 || shape[d] > Integer.MAX_VALUE) {
                        throw new IOException(where + ", parameter " + parameter + ": dimension " + shape[d]
                                + " out of range");
                    }
                    size *= shape[d];
                    if (size > Integer.MAX_VALUE - 8) {
                        throw new IOException(where + ", parameter " + parameter + ": shape "
                                + Arrays.toString(shape) + " too large");
                    }
                }
                float[] first = readFloats(data, (int) size);
                float[] second = readFloats(data, (int) size);
                moments.add(new Moments(name, shape, first, second));
            }
            parameter = null;
            if (data.read() != -1) {
                throw new IOException(where + " has bytes after its last parameter (" + count + " declared)");
            }
            return new AdamState(updates, moments);
        } catch (EOFException e) {
            throw new IOException(where + " is truncated" + (parameter == null ? "" : " in parameter " + parameter),
                    e);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + " is malformed: " + e.getMessage(), e);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(Math.min(values.length, 1 << 14) * Float.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < values.length; from += 1 << 14) {
            int n = Math.min(1 << 14, values.length - from);
            bytes.clear();
            bytes.asFloatBuffer().put(values, from, n);
            out.write(bytes.array(), 0, n * Float.BYTES);
        }
    }

    private static float[] readFloats(DataInputStream in, int count) throws IOException {
        // grown as data arrives, so a corrupt size field in a short file fails with EOF rather than out of memory
        float[] values = new float[Math.min(count, 1 << 20)];
        byte[] chunk = new byte[Math.min(count, 1 << 14) * Float.BYTES];
        for (int from = 0; from < count; from += 1 << 14) {
            int n = Math.min(1 << 14, count - from);
            in.readFully(chunk, 0, n * Float.BYTES);
            if (from + n > values.length) {
                values = Arrays.copyOf(values, (int) Math.min(count, Math.max(2L * values.length, from + n)));
            }
            ByteBuffer.wrap(chunk, 0, n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                    .get(values, from, n);
        }
        return values;
    }
}
