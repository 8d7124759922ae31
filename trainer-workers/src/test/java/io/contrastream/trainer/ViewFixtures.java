package io.contrastream.trainer;

import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.DType;
import io.contrastream.schemas.TaskEvent;
import io.contrastream.schemas.TaskPhase;
import io.contrastream.schemas.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;

/** Tiny synthetic views (1x8x8 by default) built directly as events. */
public final class ViewFixtures {
    public static final int[] SHAPE = {1, 8, 8};

    private ViewFixtures() {
    }

    /** A view whose pixels are {@code base + i / 1000} (distinct per sample and view). */
    public static AugmentedView view(String runId, String sampleId, int viewIndex, Integer taskId, float base) {
        int n = SHAPE[0] * SHAPE[1] * SHAPE[2];
        float[] pixels = new float[n];
        for (int i = 0; i < n; i++) {
            pixels[i] = base + i / 1000f;
        }
        return view(runId, sampleId, viewIndex, taskId, SHAPE, pixels);
    }

    public static AugmentedView view(String runId, String sampleId, int viewIndex, Integer taskId, int[] shape,
                                     float[] pixels) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * pixels.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(pixels);
        return AugmentedView.newBuilder().setRunId(runId).setSampleId(sampleId).setViewIndex(viewIndex)
                .setViewCount(2).setEpoch(0).setLabel(sampleId.hashCode() & 7).setTaskId(taskId)
                .setDataset("synthetic")
                .setTensor(Tensor.newBuilder().setDtype(DType.FLOAT32)
                        .setShape(List.of(shape[0], shape[1], shape[2])).setData(bytes).build())
                .setRecipe(List.of()).setSeed(1L).setViewSeed(viewIndex).setProducedAt(Instant.ofEpochMilli(0))
                .build();
    }

    /** {@code view} with an {@code original} tensor of pixels {@code base + i / 1000} (as a producer's view 0). */
    public static AugmentedView withOriginal(AugmentedView view, float base) {
        int n = SHAPE[0] * SHAPE[1] * SHAPE[2];
        ByteBuffer bytes = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            bytes.putFloat(base + i / 1000f);
        }
        bytes.flip();
        AugmentedView copy = AugmentedView.newBuilder(view).build();
        copy.setOriginal(Tensor.newBuilder().setDtype(DType.FLOAT32).setShape(List.of(SHAPE[0], SHAPE[1], SHAPE[2]))
                .setData(bytes).build());
        return copy;
    }

    public static TaskEvent start(String runId, int taskId, int taskCount, long samples) {
        return TaskEvent.newBuilder().setRunId(runId).setTaskId(taskId).setTaskCount(taskCount)
                .setClasses(List.of(taskId)).setPhase(TaskPhase.START).setEpochs(1).setSampleCount(samples)
                .setViewCount(2).setTimestamp(Instant.ofEpochMilli(0)).build();
    }
}
