package io.contrastream.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.Arrays;
import java.util.List;

/**
 * Builds {@link ContrastiveEncoder}s from an {@link EncoderSpec}. The projection head is the SimCLR two-layer MLP
 * {@code Linear(embeddingDim) -> ReLU -> Linear(projectionDim)} (Chen et al. 2020, "A Simple Framework for Contrastive
 * Learning of Visual Representations", section 2.1).
 *
 * <p>Backbones (all take {@code [B, C, H, W]} float and return {@code [B, embeddingDim]}):
 * <ul>
 *   <li>MLP: flatten, then {@code Linear(h) -> ReLU} per hidden size, then {@code Linear(embeddingDim)};</li>
 *   <li>CNN: per hidden size a 3x3 same-padded convolution, ReLU and 2x2 max-pool; flatten;
 *       {@code Linear(embeddingDim)}; sized for 1x28x28 but works for any input the pools do not shrink to 0;</li>
 *   <li>RESNET: a small ResNet-style network (He et al. 2016, "Deep Residual Learning for Image Recognition") for
 *       3x32x32: 3x3 stem conv with batch norm, then one basic residual block per further hidden size (stride 2, 1x1
 *       projection shortcut when the shape changes), global average pooling, {@code Linear(embeddingDim)}.</li>
 * </ul>
 */
public final class Encoders {
    private Encoders() {
    }

    /** Builds an uninitialised encoder; call {@link ContrastiveEncoder#initialize} or let a DJL trainer do it. */
    public static ContrastiveEncoder build(EncoderSpec spec) {
        Block backbone = switch (spec.kind()) {
            case MLP -> mlp(spec);
            case CNN -> cnn(spec);
            case RESNET -> resnet(spec);
        };
        Block head = new SequentialBlock()
                .add(Linear.builder().setUnits(spec.embeddingDim()).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(spec.projectionDim()).build());
        return new ContrastiveEncoder(spec, backbone, head);
    }

    private static Block mlp(EncoderSpec spec) {
        SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock());
        for (int units : spec.hiddenSizes()) {
            block.add(Linear.builder().setUnits(units).build()).add(Activation.reluBlock());
        }
        return block.add(Linear.builder().setUnits(spec.embeddingDim()).build());
    }

    private static Block cnn(EncoderSpec spec) {
        SequentialBlock block = new SequentialBlock();
        for (int channels : spec.hiddenSizes()) {
            block.add(conv3x3(channels, 1))
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        return block.add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(spec.embeddingDim()).build());
    }

    private static Block resnet(EncoderSpec spec) {
        List<Integer> widths = spec.hiddenSizes();
        SequentialBlock block = new SequentialBlock()
                .add(conv3x3(widths.get(0), 1))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
        int inChannels = widths.get(0);
        for (int i = 1; i < widths.size(); i++) {
            int out = widths.get(i);
            block.add(residual(out, 2, out != inChannels));
            inChannels = out;
        }
        if (widths.size() == 1) {
            block.add(residual(inChannels, 1, false));
        }
        return block.add(Pool.globalAvgPool2dBlock())
                .add(Linear.builder().setUnits(spec.embeddingDim()).build());
    }

    private static Block residual(int channels, int stride, boolean projectShortcut) {
        SequentialBlock main = new SequentialBlock()
                .add(conv3x3(channels, stride))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(conv3x3(channels, 1))
                .add(BatchNorm.builder().build());
        SequentialBlock shortcut = new SequentialBlock();
        if (projectShortcut || stride != 1) {
            shortcut.add(Conv2d.builder().setFilters(channels).setKernelShape(new Shape(1, 1))
                            .optStride(new Shape(stride, stride)).optBias(false).build())
                    .add(BatchNorm.builder().build());
        } else {
            shortcut.add(Blocks.identityBlock());
        }
        return new SequentialBlock()
                .add(new ParallelBlock(
                        outputs -> new NDList(outputs.get(0).singletonOrThrow().add(outputs.get(1).singletonOrThrow())),
                        Arrays.asList(main, shortcut)))
                .add(Activation.reluBlock());
    }

    private static Block conv3x3(int channels, int stride) {
        return Conv2d.builder().setFilters(channels).setKernelShape(new Shape(3, 3))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(1, 1)).build();
    }
}
