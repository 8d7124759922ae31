package io.contrastream.model.replay;

import io.contrastream.schemas.DType;
import io.contrastream.schemas.ReplayEntry;
import io.contrastream.schemas.Tensor;
import io.contrastream.model.replay.internal.SplitMix64;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Mapping between a {@link ReplayBuffer} and {@link ReplayEntry} events. */
final class ReplayEntries {

    private ReplayEntries() {
    }

    static List<ReplayEntry> of(ReplayBuffer buffer) {
        ReplayConfig config = buffer.config();
        List<Integer> shape = List.of(config.channels(), config.height(), config.width());
        List<ReplayEntry> out = new ArrayList<>(buffer.size());
        for (int slot = 0; slot < buffer.size(); slot++) {
            float[] values = buffer.slotPixels(slot);
            ByteBuffer data = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            data.asFloatBuffer().put(values);
            Tensor tensor = Tensor.newBuilder().setDtype(DType.FLOAT32).setShape(shape).setData(data).build();
            out.add(ReplayEntry.newBuilder()
                    .setRunId(config.runId())
                    .setSlot(slot)
                    .setSampleId(buffer.slotId(slot))
                    .setLabel(buffer.slotLabel(slot))
                    .setTaskId(buffer.slotTask(slot))
                    .setTensor(tensor)
                    .setSeen(buffer.slotSeen(slot))
                    .build());
        }
        return out;
    }

    static ReplayBuffer restore(ReplayConfig config, Iterable<ReplayEntry> entries) {
        TreeMap<Integer, ReplayEntry> latest = new TreeMap<>();
        int outOfRange = 0;
        long seen = 0;
        int currentTask = -1;
        for (ReplayEntry e : entries) {
            if (!config.runId().equals(e.getRunId())) {
                continue;
            }
            if (e.getSlot() < 0 || e.getSlot() >= config.capacity()) {
                outOfRange++;
                continue;
            }
            latest.merge(e.getSlot(), e, (a, b) -> b.getSeen() >= a.getSeen() ? b : a);
        }
        for (ReplayEntry e : latest.values()) {
            seen = Math.max(seen, e.getSeen());
            currentTask = Math.max(currentTask, e.getTaskId());
        }
        seen = Math.max(seen, latest.size());
        ReplayBuffer buffer = ReplayBuffer.restoring(config, SplitMix64.mix(config.seed() ^ seen), seen, 0,
                currentTask);
        for (int i = 0; i < outOfRange; i++) {
            buffer.countDropped();
        }
        for (ReplayEntry e : latest.values()) {
            Tensor t = e.getTensor();
            int[] shape = t.getShape().stream().mapToInt(Integer::intValue).toArray();
            ByteBuffer data = t.getData().duplicate();
            float[] values;
            if (t.getDtype() == DType.UINT8) {
                values = new float[data.remaining()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (data.get() & 0xFF) * (1f / 255f);
                }
            } else if (data.remaining() % Float.BYTES == 0) {
                values = new float[data.remaining() / Float.BYTES];
                data.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            } else {
                values = new float[0];
            }
            buffer.restoreSlot(e.getSampleId(), e.getLabel(), e.getTaskId(), e.getSeen(), shape, values);
        }
        return buffer;
    }
}
