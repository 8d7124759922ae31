package io.contrastream.eval.metrics.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * Runs a DJL encoder {@code [B,C,H,W] -> [B,D]} in inference mode over flat CHW images, in batches, each batch in a
 * sub-manager closed right after its embeddings are copied out.
 */
public final class BlockEmbedder {

    private final NDManager manager;
    private final Block encoder;
    private final ParameterStore parameters;
    private final int channels;
    private final int height;
    private final int width;
    private final int batchSize;

    /**
     * @param manager   parent manager; sub-managers are opened under it
     * @param encoder   initialised encoder
     * @param channels  C
     * @param height    H
     * @param width     W
     * @param batchSize images per forward pass
     */
    public BlockEmbedder(NDManager manager, Block encoder, int channels, int height, int width, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("BlockEmbedder: batchSize " + batchSize + " must be >= 1");
        }
        this.manager = manager;
        this.encoder = encoder;
        this.parameters = new ParameterStore(manager, false);
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.batchSize = batchSize;
    }

    /** The parameter store used for forward passes. */
    public ParameterStore parameters() {
        return parameters;
    }

    /** Shape of a batch of {@code b} images. */
    public Shape batchShape(int b) {
        return new Shape(b, channels, height, width);
    }

    /** Images per batch. */
    public int batchSize() {
        return batchSize;
    }

    /** Encoder forward on a batch already on a manager. */
    public NDArray forward(NDArray batch) {
        NDArray out = encoder.forward(parameters, new NDList(batch), false).singletonOrThrow();
        if (out.getShape().dimension() != 2) {
            throw new IllegalStateException("encoder output shape " + out.getShape()
                    + " is not [B, D]; add a flatten/projection so the block returns one embedding per image");
        }
        return out;
    }

    /** Embeds every image. */
    public float[][] embed(float[][] images) {
        float[][] out = new float[images.length][];
        int size = channels * height * width;
        for (int b0 = 0; b0 < images.length; b0 += batchSize) {
            int b = Math.min(batchSize, images.length - b0);
            float[] flat = new float[b * size];
            for (int i = 0; i < b; i++) {
                System.arraycopy(images[b0 + i], 0, flat, i * size, size);
            }
            try (NDManager step = manager.newSubManager()) {
                NDArray emb = forward(step.create(flat, batchShape(b)));
                int d = (int) emb.getShape().get(1);
                float[] e = emb.toFloatArray();
                for (int i = 0; i < b; i++) {
                    out[b0 + i] = java.util.Arrays.copyOfRange(e, i * d, (i + 1) * d);
                }
            }
        }
        return out;
    }
}
