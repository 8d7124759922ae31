package io.contrastream.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;

/**
 * A backbone plus a projection head, the SimCLR architecture (Chen, Kornblith, Norouzi, Hinton 2020, "A Simple
 * Framework for Contrastive Learning of Visual Representations", ICML): the loss is applied to the head's output
 * {@code g(f(x))}, while the backbone output {@code f(x)} is the representation used downstream.
 *
 * <p>{@link #network()} is the backbone followed by the head; its parameters are what a checkpoint stores. Instances
 * come from {@link Encoders#build(EncoderSpec)}.
 */
public final class ContrastiveEncoder {
    private final EncoderSpec spec;
    private final Block backbone;
    private final Block head;
    private final SequentialBlock network;

    ContrastiveEncoder(EncoderSpec spec, Block backbone, Block head) {
        this.spec = spec;
        this.backbone = backbone;
        this.head = head;
        this.network = new SequentialBlock().add(backbone).add(head);
    }

    /** The spec this encoder was built from. */
    public EncoderSpec spec() {
        return spec;
    }

    /** Input {@code [B, C, H, W]} float to {@code [B, embeddingDim]}. */
    public Block backbone() {
        return backbone;
    }

    /** Input {@code [B, embeddingDim]} to {@code [B, projectionDim]}. */
    public Block head() {
        return head;
    }

    /** Backbone then head; the block to train and to checkpoint. */
    public Block network() {
        return network;
    }

    /**
     * Backbone embeddings in inference mode (batch norm uses running statistics).
     *
     * @param x {@code [B, C, H, W]} float, on the device of the parameters
     * @return {@code [B, embeddingDim]}, attached to {@code x}'s manager
     */
    public NDArray embed(NDArray x) {
        return backbone.forward(new ParameterStore(x.getManager(), false), new NDList(x), false).singletonOrThrow();
    }

    /** Projections {@code [B, projectionDim]} (backbone then head) in inference mode. */
    public NDArray project(NDArray x) {
        return network.forward(new ParameterStore(x.getManager(), false), new NDList(x), false).singletonOrThrow();
    }

    /** Shape of a batch of {@code batchSize} inputs, {@code [B, C, H, W]}. */
    public Shape inputShape(long batchSize) {
        int[] s = spec.inputShape();
        return new Shape(batchSize, s[0], s[1], s[2]);
    }

    /**
     * Initialises all parameters deterministically: seeds the engine's random generator with {@code seed}, then
     * initialises the network with its default initialisers. Already-initialised parameters are left unchanged.
     *
     * @return this
     */
    public ContrastiveEncoder initialize(NDManager manager, long seed) {
        Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
        return initialize(manager);
    }

    /**
     * Initialises parameters without touching the engine's random seed; for an encoder whose parameters are about to
     * be replaced by a checkpoint (loading needs initialised parameters to check shapes against).
     *
     * @return this
     */
    public ContrastiveEncoder initialize(NDManager manager) {
        network.initialize(manager, DataType.FLOAT32, inputShape(1));
        return this;
    }
}
