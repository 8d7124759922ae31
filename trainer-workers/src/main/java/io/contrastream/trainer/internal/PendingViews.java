package io.contrastream.trainer.internal;

import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.codec.EventCodec;
import io.contrastream.trainer.ViewLocation;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The "pending" checkpoint attachment: the trainer's task state and every buffered-but-untrained view (record bytes
 * and topic-partition-offset), so a checkpoint can commit the consumer's positions without losing or repeating a
 * view. Binary layout (big-endian, {@link DataOutputStream}):
 * <pre>
 * int magic 0x43535056 ("CSPV"), int version 1,
 * int currentTask, long samplesDoneInTask (trained + dropped samples of currentTask),
 * int counterCount, counterCount x (UTF name, long value),
 * int viewCount, viewCount x (UTF topic, int partition, long offset, int keyLength (-1 = null), key bytes,
 *                             int valueLength, value bytes)
 * </pre>
 *
 * @param currentTask       the task being trained
 * @param samplesDoneInTask samples of {@code currentTask} trained or dropped so far
 * @param counters          cumulative counters (samples, dropped, deadLettered, ...)
 * @param views             buffered views
 */
public record PendingViews(int currentTask, long samplesDoneInTask, Map<String, Long> counters,
                           List<BufferedView> views) {
    private static final int MAGIC = 0x43535056;
    private static final int VERSION = 1;
    private static final EventCodec<AugmentedView> CODEC = EventCodec.of(AugmentedView.class);

    public PendingViews {
        counters = Map.copyOf(counters);
        views = List.copyOf(views);
    }

    /** Writes the layout above (views without record bytes are encoded now). */
    public void writeTo(OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(stream);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(currentTask);
        out.writeLong(samplesDoneInTask);
        Map<String, Long> sorted = new TreeMap<>(counters);
        out.writeInt(sorted.size());
        for (Map.Entry<String, Long> e : sorted.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
        out.writeInt(views.size());
        for (BufferedView view : views) {
            out.writeUTF(view.location().topic());
            out.writeInt(view.location().partition());
            out.writeLong(view.location().offset());
            byte[] key = view.key();
            out.writeInt(key == null ? -1 : key.length);
            if (key != null) {
                out.write(key);
            }
            byte[] value = view.value() != null ? view.value() : CODEC.encode(view.view());
            out.writeInt(value.length);
            out.write(value);
        }
        out.flush();
    }

    /**
     * Parses bytes written by {@link #writeTo}.
     *
     * @throws IOException if the bytes are not a pending-view file of a known version
     */
    public static PendingViews read(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a pending-view file (wrong magic)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException("pending-view file version " + version + ", this trainer reads " + VERSION);
            }
            int task = in.readInt();
            long done = in.readLong();
            int counterCount = in.readInt();
            Map<String, Long> counters = new TreeMap<>();
            for (int i = 0; i < counterCount; i++) {
                counters.put(in.readUTF(), in.readLong());
            }
            int count = in.readInt();
            List<BufferedView> views = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ViewLocation location = new ViewLocation(in.readUTF(), in.readInt(), in.readLong());
                int keyLength = in.readInt();
                byte[] key = keyLength < 0 ? null : in.readNBytes(keyLength);
                byte[] value = in.readNBytes(in.readInt());
                views.add(new BufferedView(location, key, value, CODEC.decode(value)));
            }
            return new PendingViews(task, done, counters, views);
        }
    }
}
