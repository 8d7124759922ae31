package io.contrastream.trainer.internal;

import io.contrastream.trainer.engine.TrainBatch;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Copies complete samples into one {@link TrainBatch}: pixels view-major (all samples' view 0, then view 1, ...),
 * each view's tensor bytes read as little-endian floats straight into the batch array (no per-pixel boxing);
 * labels when every sample has one.
 */
public final class BatchAssembler {
    private BatchAssembler() {
    }

    /** The batch of {@code samples} ({@code >= 1}), each with {@code views} views of shape {@code sampleShape}. */
    public static TrainBatch assemble(List<AssembledSample> samples, int views, int[] sampleShape) {
        int n = samples.size();
        int size = sampleShape[0] * sampleShape[1] * sampleShape[2];
        float[] pixels = new float[views * n * size];
        long[] labels = new long[n];
        boolean labelled = true;
        for (int i = 0; i < n; i++) {
            AssembledSample sample = samples.get(i);
            for (int v = 0; v < views; v++) {
                sample.views().get(v).view().getTensor().getData().duplicate().order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer().get(pixels, (v * n + i) * size, size);
            }
            labels[i] = sample.label();
            labelled &= labels[i] >= 0;
        }
        return TrainBatch.builder().setViews(views).setBatchSize(n).setSampleShape(sampleShape).setPixels(pixels)
                .optLabels(labelled ? labels : null).build();
    }
}
