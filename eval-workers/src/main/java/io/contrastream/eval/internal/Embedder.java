package io.contrastream.eval.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.contrastream.model.ContrastiveEncoder;
import java.nio.FloatBuffer;

/**
 * Backbone embeddings ({@link ContrastiveEncoder#embed}) of flat CHW images in batches, each batch in a sub-manager
 * closed as soon as its rows are copied out.
 */
public final class Embedder {

    private final NDManager manager;
    private final ContrastiveEncoder encoder;
    private final int batchSize;

    /**
     * @param manager   parent manager (owned by the caller)
     * @param encoder   loaded encoder
     * @param batchSize images per forward pass
     */
    public Embedder(NDManager manager, ContrastiveEncoder encoder, int batchSize) {
        this.manager = manager;
        this.encoder = encoder;
        this.batchSize = batchSize;
    }

    /** Embeds every image; rows are {@code embeddingDim} long. */
    public float[][] embed(float[][] images) {
        int size = encoder.spec().inputSize();
        int dim = encoder.spec().embeddingDim();
        float[][] out = new float[images.length][];
        float[] flat = new float[Math.min(batchSize, images.length) * size];
        for (int b0 = 0; b0 < images.length; b0 += batchSize) {
            int b = Math.min(batchSize, images.length - b0);
            for (int i = 0; i < b; i++) {
                System.arraycopy(images[b0 + i], 0, flat, i * size, size);
            }
            try (NDManager batch = manager.newSubManager()) {
                Shape shape = encoder.inputShape(b);
                NDArray x = batch.create(FloatBuffer.wrap(flat, 0, b * size), shape);
                float[] rows = encoder.embed(x).toFloatArray();
                for (int i = 0; i < b; i++) {
                    float[] row = new float[dim];
                    System.arraycopy(rows, i * dim, row, 0, dim);
                    out[b0 + i] = row;
                }
            }
        }
        return out;
    }
}
