package io.contrastream.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

    @Test
    void shouldClipByGlobalNormAcrossParameters() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter a = parameter(manager, "a", new float[] {1f, 1f});
            Parameter b = parameter(manager, "b", new float[] {1f});
            // loss = 3*a0 + 0*a1 + 4*b0: gradients (3, 0) and (4); global norm sqrt(9 + 0 + 16) = 5
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = a.getArray().mul(manager.create(new float[] {3f, 0f})).sum()
                        .add(b.getArray().mul(4f).sum());
                collector.backward(loss);
            }
            List<Pair<String, Parameter>> params = List.of(new Pair<>("a", a), new Pair<>("b", b));
            assertEquals(5f, GradientClipping.clipGlobalNorm(params, 1f), 1e-6);
            // scaled by 1/5: (0.6, 0) and (0.8)
            assertArrayEquals(new float[] {0.6f, 0f}, a.getArray().getGradient().toFloatArray(), 1e-5f);
            assertArrayEquals(new float[] {0.8f}, b.getArray().getGradient().toFloatArray(), 1e-5f);
            assertEquals(1f, GradientClipping.globalNorm(params), 1e-5);
            GradientClipping.zero(params);
            assertEquals(0f, GradientClipping.globalNorm(params), 0f);
        }
    }

    @Test
    void shouldClipEveryElementToPlusMinusTheThresholdBothWays() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter a = parameter(manager, "a", new float[] {1f, 1f, 1f, 1f});
            // loss = -5*a0 + 0.5*a1 + 3*a2 - 0.25*a3: gradient (-5, 0.5, 3, -0.25)
            try (GradientCollector collector = io.contrastream.model.GradientLock.open(
                    () -> Engine.getInstance().newGradientCollector())) {
                collector.backward(a.getArray().mul(manager.create(new float[] {-5f, 0.5f, 3f, -0.25f})).sum());
            }
            GradientClipping.clipValue(List.of(new Pair<>("a", a)), 1f);
            assertArrayEquals(new float[] {-1f, 0.5f, 1f, -0.25f}, a.getArray().getGradient().toFloatArray(), 0f);
        }
    }

    @Test
    void shouldTakeTheFrobeniusNormOfMatrixGradientsAndPropagateNaN() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter w = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).optShape(new Shape(2, 2))
                    .optInitializer((Initializer) (m, shape, dataType) -> m.ones(shape)).build();
            w.initialize(manager, DataType.FLOAT32);
            Parameter b = parameter(manager, "b", new float[] {1f});
            // gradient of w is [[3, 0], [0, 4]]: Frobenius norm 5 (spectral norm 4); b's gradient 12: global norm
            // sqrt(25 + 144) = 13
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = w.getArray().mul(manager.create(new float[] {3f, 0f, 0f, 4f}, new Shape(2, 2))).sum()
                        .add(b.getArray().mul(12f).sum());
                collector.backward(loss);
            }
            List<Pair<String, Parameter>> params = List.of(new Pair<>("w", w), new Pair<>("b", b));
            assertEquals(13f, GradientClipping.globalNorm(params), 1e-5);
            b.getArray().getGradient().set(new ai.djl.ndarray.index.NDIndex("0"), Float.NaN);
            assertEquals(Float.NaN, GradientClipping.globalNorm(params));
            b.getArray().getGradient().set(new ai.djl.ndarray.index.NDIndex("0"), Float.POSITIVE_INFINITY);
            assertEquals(Float.POSITIVE_INFINITY, GradientClipping.globalNorm(params));
        }
    }

    private static Parameter parameter(NDManager manager, String name, float[] values) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(values.length)).optInitializer(
                        (Initializer) (m, shape, dataType) -> m.create(values)).build();
        p.initialize(manager, DataType.FLOAT32);
        return p;
    }
}
