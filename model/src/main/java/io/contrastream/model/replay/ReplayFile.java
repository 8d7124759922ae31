package io.contrastream.model.replay;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The replay buffer file, version 1. Integers and floats big-endian (Java {@link DataOutputStream}); strings are an
 * {@code i32} byte length then UTF-8 bytes.
 * <pre>
 *   bytes[4]  magic "CSRB" (0x43 0x53 0x52 0x42)
 *   u16       version = 1
 *   u8        policy: 0 RESERVOIR, 1 CLASS_BALANCED
 *   string    runId
 *   i32       capacity
 *   i32 x 3   channels, height, width
 *   i64       seed
 *   i64       seen
 *   i64       droppedInvalid
 *   i64       generator state (SplitMix64, see internal.SplitMix64)
 *   i32       currentTask (-1 before the first task)
 *   i32       size (number of slot records, 0..capacity), then size slot records in slot order:
 *     string    sampleId
 *     i32       label
 *     i32       taskId
 *     i64       seen when the slot was written
 *     u8        dtype: 0 FLOAT32 (count x f32), 1 UINT8 (count x u8, value v/255 exactly as Image.fromUint8)
 *     i32 x 3   shape channels, height, width
 *     i32       count (values that follow)
 *     data
 *   bytes[4]  end marker "CSRE"
 * </pre>
 * The writer uses UINT8 for a slot only when every value is exactly {@code k * (1f/255f)} for an integer
 * {@code k} in [0, 255], so the round trip is bit-exact either way (4x smaller for 8-bit datasets).
 */
final class ReplayFile {
    static final byte[] MAGIC = {'C', 'S', 'R', 'B'};
    static final byte[] END = {'C', 'S', 'R', 'E'};
    static final int VERSION = 1;
    private static final int FLOAT32 = 0;
    private static final int UINT8 = 1;
    private static final float INV255 = 1f / 255f;
    private static final int MAX_STRING_BYTES = 1 << 16;

    private ReplayFile() {
    }

    static void write(ReplayBuffer buffer, OutputStream sink) throws IOException {
        ReplayConfig config = buffer.config();
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(sink, 1 << 16));
        out.write(MAGIC);
        out.writeShort(VERSION);
        out.writeByte(config.policy().ordinal());
        writeString(out, config.runId());
        out.writeInt(config.capacity());
        out.writeInt(config.channels());
        out.writeInt(config.height());
        out.writeInt(config.width());
        out.writeLong(config.seed());
        out.writeLong(buffer.seen());
        out.writeLong(buffer.droppedInvalid());
        out.writeLong(buffer.rngState());
        out.writeInt(buffer.currentTask());
        out.writeInt(buffer.size());
        ByteBuffer scratch = ByteBuffer.allocate(config.sampleSize() * Float.BYTES).order(ByteOrder.BIG_ENDIAN);
        for (int slot = 0; slot < buffer.size(); slot++) {
            float[] values = buffer.slotPixels(slot);
            writeString(out, buffer.slotId(slot));
            out.writeInt(buffer.slotLabel(slot));
            out.writeInt(buffer.slotTask(slot));
            out.writeLong(buffer.slotSeen(slot));
            boolean bytes = isUint8(values);
            out.writeByte(bytes ? UINT8 : FLOAT32);
            out.writeInt(config.channels());
            out.writeInt(config.height());
            out.writeInt(config.width());
            out.writeInt(values.length);
            scratch.clear();
            if (bytes) {
                for (float v : values) {
                    scratch.put((byte) Math.round(v * 255f));
                }
            } else {
                scratch.asFloatBuffer().put(values);
                scratch.position(values.length * Float.BYTES);
            }
            out.write(scratch.array(), 0, scratch.position());
        }
        out.write(END);
        out.flush();
    }

    private static boolean isUint8(float[] values) {
        for (float v : values) {
            if (!(v >= 0f && v <= 1f)) {
                return false;
            }
            int k = Math.round(v * 255f);
            if (Float.floatToRawIntBits(k * INV255) != Float.floatToRawIntBits(v)) {
                return false;
            }
        }
        return true;
    }

    static ReplayBuffer read(InputStream source) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(source, 1 << 16));
        try {
            byte[] magic = in.readNBytes(4);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new ReplayFormatException("Not a replay buffer file: magic is "
                        + HexFormat.of().formatHex(magic) + ", expected 43535242 (\"CSRB\")");
            }
            int version = in.readUnsignedShort();
            if (version != VERSION) {
                throw new ReplayFormatException("Replay buffer file version " + version
                        + " is not supported by this reader (supports " + VERSION + "); use a matching release");
            }
            int policyCode = in.readUnsignedByte();
            if (policyCode >= ReplayPolicy.values().length) {
                throw new ReplayFormatException("Replay buffer file has unknown policy code " + policyCode);
            }
            String runId = readString(in, "runId");
            int capacity = in.readInt();
            int channels = in.readInt();
            int height = in.readInt();
            int width = in.readInt();
            long seed = in.readLong();
            ReplayConfig config;
            try {
                config = new ReplayConfig(runId, capacity, ReplayPolicy.values()[policyCode], channels, height, width,
                        seed);
            } catch (IllegalArgumentException e) {
                throw new ReplayFormatException("Replay buffer file header is inconsistent: " + e.getMessage(), e);
            }
            long seen = in.readLong();
            long dropped = in.readLong();
            long rngState = in.readLong();
            int currentTask = in.readInt();
            int size = in.readInt();
            if (size < 0 || size > capacity || seen < size || dropped < 0 || currentTask < -1) {
                throw new ReplayFormatException("Replay buffer file header is inconsistent: size=" + size
                        + " capacity=" + capacity + " seen=" + seen + " droppedInvalid=" + dropped
                        + " currentTask=" + currentTask);
            }
            ReplayBuffer buffer = ReplayBuffer.restoring(config, rngState, seen, dropped, currentTask);
            for (int slot = 0; slot < size; slot++) {
                readSlot(in, buffer, slot);
            }
            byte[] end = in.readNBytes(4);
            if (!Arrays.equals(end, END)) {
                throw new ReplayFormatException("Replay buffer file has no end marker after " + size
                        + " slots: truncated or corrupt");
            }
            return buffer;
        } catch (EOFException e) {
            throw new ReplayFormatException("Replay buffer file is truncated", e);
        }
    }

    private static void readSlot(DataInputStream in, ReplayBuffer buffer, int slot) throws IOException {
        String sampleId = readString(in, "sampleId of slot " + slot);
        int label = in.readInt();
        int taskId = in.readInt();
        long slotSeen = in.readLong();
        int dtype = in.readUnsignedByte();
        int[] shape = {in.readInt(), in.readInt(), in.readInt()};
        int count = in.readInt();
        int width = dtype == UINT8 ? 1 : Float.BYTES;
        if ((dtype != FLOAT32 && dtype != UINT8) || count < 0 || count > Integer.MAX_VALUE / Float.BYTES) {
            throw new ReplayFormatException("Replay buffer file slot " + slot + " (sample " + sampleId
                    + ") has dtype code " + dtype + " and count " + count + "; cannot read further");
        }
        byte[] data = in.readNBytes(count * width);
        if (data.length != count * width) {
            throw new EOFException();
        }
        float[] values = new float[count];
        if (dtype == UINT8) {
            for (int i = 0; i < count; i++) {
                values[i] = (data[i] & 0xFF) * INV255;
            }
        } else {
            ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(values);
        }
        buffer.restoreSlot(sampleId, label, taskId, slotSeen, shape, values);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in, String field) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_STRING_BYTES) {
            throw new ReplayFormatException("Replay buffer file field " + field + " has length " + length
                    + " (expected 0.." + MAX_STRING_BYTES + ")");
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException();
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
