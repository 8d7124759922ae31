package io.contrastream.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import io.contrastream.model.GradientLock;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectAdamTest {
    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    private static final double EPS = 1e-8;

    @Test
    void shouldMatchHandComputedAdamStepsAndZeroTheGradients() {
        float[] w0 = {1f, -2f, 0.5f, 0f};
        float[][] grads = {{0.5f, -1f, 2f, 0f}, {-0.25f, 3f, 0f, 1e-3f}, {1f, 1f, -1f, -1f}};
        check(OptimizerConfig.adam(0.1f), 0, w0, grads);
    }

    @Test
    void shouldAddWeightDecayAndContinueBiasCorrectionAndScheduleAfterBeginStep() {
        // resumed at update 10 of a warm-up of 20 steps with L2 weight decay: t = 11, 12, ...
        OptimizerConfig config = OptimizerConfig.builder().setAlgorithm(OptimizerConfig.Algorithm.ADAM)
                .setLearningRate(0.05f).optWeightDecay(0.01f).optSchedule(20, 0, 0f).build();
        check(config, 10, new float[] {0.3f, -0.7f}, new float[][] {{1f, -2f}, {0.5f, 0.5f}});
    }

    @Test
    void shouldRefuseSgd() {
        assertThrows(IllegalArgumentException.class, () -> new DirectAdam(OptimizerConfig.builder()
                .setAlgorithm(OptimizerConfig.Algorithm.SGD).setLearningRate(0.1f).build(), 0));
    }

    /** Runs the updates and compares with Adam (Kingma and Ba 2015, L2 decay added to g), computed here in doubles. */
    private static void check(OptimizerConfig config, int beginStep, float[] w0, float[][] grads) {
        double[] w = new double[w0.length];
        double[] m = new double[w0.length];
        double[] v = new double[w0.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = w0[i];
        }
        var schedule = Optimizers.learningRate(config);
        try (NDManager manager = NDManager.newBaseManager();
             DirectAdam adam = new DirectAdam(config, beginStep)) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(w0.length))
                    .optInitializer((Initializer) (mm, shape, dataType) -> mm.create(w0)).build();
            p.initialize(manager, DataType.FLOAT32);
            List<Pair<String, Parameter>> params = List.of(new Pair<>("w", p));
            for (int s = 0; s < grads.length; s++) {
                // loss = sum(w * g): the gradient is g
                try (GradientCollector collector = GradientLock.open(
                        () -> Engine.getInstance().newGradientCollector())) {
                    collector.backward(p.getArray().mul(manager.create(grads[s])).sum());
                }
                int t = beginStep + s + 1;
                double lr = schedule.getNewValue(t);
                for (int i = 0; i < w.length; i++) {
                    double g = grads[s][i] + config.weightDecay() * w[i];
                    m[i] = B1 * m[i] + (1 - B1) * g;
                    v[i] = B2 * v[i] + (1 - B2) * g * g;
                    // the efficient form (section 2): the step size carries the bias corrections and epsilon is
                    // added to sqrt(v), not to sqrt(v / (1 - b2^t)) as in algorithm 1 and torch.optim.Adam
                    double stepSize = lr * Math.sqrt(1 - Math.pow(B2, t)) / (1 - Math.pow(B1, t));
                    w[i] -= stepSize * m[i] / (Math.sqrt(v[i]) + EPS);
                }
                assertEquals(lr, adam.update(params), 0.0, "rate at update " + t);
                float[] actual = p.getArray().toFloatArray();
                for (int i = 0; i < w.length; i++) {
                    assertEquals(w[i], actual[i], 2e-6 * Math.max(1, Math.abs(w[i])), "w[" + i + "] after update " + t);
                }
                assertArrayEquals(new float[w0.length], p.getArray().getGradient().toFloatArray(), 0f,
                        "gradient zeroed after update " + t);
                assertEquals(t, adam.updates());
            }
        }
    }
}
