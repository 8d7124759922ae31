package io.contrastream.producers.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.contrastream.model.ContrastiveEncoder;
import java.nio.FloatBuffer;

/**
 * L2-normalised projections ({@link ContrastiveEncoder#project}, the representation the contrastive loss compares) of
 * a pool of flat CHW images, and their cosine similarities one block of rows at a time, as a
 * {@link HardNegativeKernel.SimilarityBlocks}. Each forward pass and each block runs in a sub-manager closed as soon
 * as its values are copied out; only the {@code [n, d]} projections stay on the parent manager.
 */
public final class PoolProjections implements HardNegativeKernel.SimilarityBlocks, AutoCloseable {

    private final NDManager manager;
    private final NDArray unit;
    private final NDArray unitTransposed;
    private final int n;

    private PoolProjections(NDManager manager, NDArray unit, int n) {
        this.manager = manager;
        this.unit = unit;
        this.unitTransposed = unit.transpose();
        this.n = n;
    }

    /**
     * Projects and normalises every image (rows of zero norm stay zero).
     *
     * @param parent    manager of the encoder's parameters; the projections live in a sub-manager closed by
     *                  {@link #close()}
     * @param encoder   loaded encoder
     * @param images    flat CHW images of the encoder's input size
     * @param batchSize images per forward pass
     * @throws IllegalStateException if a projection is not finite (the checkpoint diverged)
     */
    public static PoolProjections of(NDManager parent, ContrastiveEncoder encoder, float[][] images, int batchSize) {
        int size = encoder.spec().inputSize();
        int d = encoder.spec().projectionDim();
        int n = images.length;
        float[] projections = new float[n * d];
        float[] flat = new float[Math.min(batchSize, Math.max(n, 1)) * size];
        for (int b0 = 0; b0 < n; b0 += batchSize) {
            int b = Math.min(batchSize, n - b0);
            for (int i = 0; i < b; i++) {
                System.arraycopy(images[b0 + i], 0, flat, i * size, size);
            }
            try (NDManager batch = parent.newSubManager()) {
                NDArray x = batch.create(FloatBuffer.wrap(flat, 0, b * size), encoder.inputShape(b));
                System.arraycopy(encoder.project(x).toFloatArray(), 0, projections, b0 * d, b * d);
            }
        }
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int k = 0; k < d; k++) {
                float v = projections[i * d + k];
                if (!Float.isFinite(v)) {
                    throw new IllegalStateException("projection of pool sample " + i + " is not finite (" + v
                            + "); the checkpoint's parameters diverged");
                }
                sum += (double) v * v;
            }
            if (sum > 0) {
                float inv = (float) (1 / Math.sqrt(sum));
                for (int k = 0; k < d; k++) {
                    projections[i * d + k] *= inv;
                }
            }
        }
        NDManager own = parent.newSubManager();
        try {
            return new PoolProjections(own, own.create(projections, new Shape(n, d)), n);
        } catch (RuntimeException e) {
            own.close();
            throw e;
        }
    }

    /** Number of pool samples. */
    public int size() {
        return n;
    }

    /** The unit projections, row-major {@code [n, d]}, copied to the heap (for tests and diagnostics). */
    public float[] toFloatArray() {
        return unit.toFloatArray();
    }

    @Override
    public float[] block(int rowStart, int rows) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray anchors = unit.get(new NDIndex("{}:{}", rowStart, rowStart + rows));
            anchors.attach(scratch);
            NDArray sims = anchors.matMul(unitTransposed);
            sims.attach(scratch);
            return sims.toFloatArray();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
