package io.contrastream.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncodersTest {

    @Test
    void shouldMapEachKindToEmbeddingAndProjectionShapes() {
        List<EncoderSpec> specs = List.of(
                new EncoderSpec(EncoderSpec.Kind.MLP, new int[] {1, 28, 28}, List.of(32), 16, 8),
                new EncoderSpec(EncoderSpec.Kind.CNN, new int[] {1, 28, 28}, List.of(4, 8), 16, 8),
                new EncoderSpec(EncoderSpec.Kind.RESNET, new int[] {3, 32, 32}, List.of(4, 8, 8), 16, 8));
        for (EncoderSpec spec : specs) {
            try (NDManager manager = NDManager.newBaseManager()) {
                ContrastiveEncoder encoder = Encoders.build(spec).initialize(manager, 7);
                NDArray x = manager.randomUniform(0, 1, encoder.inputShape(3));
                ParameterStore store = new ParameterStore(manager, false);
                NDArray embedding = encoder.backbone().forward(store, new NDList(x), false).singletonOrThrow();
                NDArray projection = encoder.network().forward(store, new NDList(x), false).singletonOrThrow();
                assertEquals(new Shape(3, 16), embedding.getShape(), spec.kind().name());
                assertEquals(new Shape(3, 8), projection.getShape(), spec.kind().name());
            }
        }
    }

    @Test
    void shouldInitialiseIdenticallyForTheSameSeedAndDifferentlyForAnother() {
        EncoderSpec spec = new EncoderSpec(EncoderSpec.Kind.MLP, new int[] {1, 4, 4}, List.of(8), 4, 2);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] a = firstWeights(Encoders.build(spec).initialize(manager, 42));
            float[] b = firstWeights(Encoders.build(spec).initialize(manager, 42));
            float[] c = firstWeights(Encoders.build(spec).initialize(manager, 43));
            assertArrayEquals(a, b);
            assertFalse(java.util.Arrays.equals(a, c));
        }
    }

    private static float[] firstWeights(ContrastiveEncoder encoder) {
        return encoder.network().getParameters().get(0).getValue().getArray().toFloatArray();
    }
}
