package io.contrastream.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import io.contrastream.model.GradientLock;
import ai.djl.ndarray.NDArray;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
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

    private static final OptimizerConfig WARM_UP = OptimizerConfig.builder()
            .setAlgorithm(OptimizerConfig.Algorithm.ADAM).setLearningRate(0.05f).optWeightDecay(0.01f)
            .optSchedule(20, 0, 0f).build();
    private static final float[][] GRADS = {
            {0.5f, -1f, 2f, 0f, 0.1f, 0.2f, -0.3f}, {-0.25f, 3f, 0f, 1e-3f, 1f, -1f, 0.5f},
            {1f, 1f, -1f, -1f, 0f, 0.7f, 0.1f}, {0.3f, -0.2f, 0.9f, 4f, -2f, 0f, 1e-4f}};

    /** Parameters "w" (2x2) and "b" (3) with the given 7 values (w first), as a block's getParameters() lists them. */
    private static List<Pair<String, Parameter>> parameters(NDManager manager, float[] values, String... names) {
        String[] n = names.length == 0 ? new String[] {"w", "b"} : names;
        float[] w = java.util.Arrays.copyOfRange(values, 0, 4);
        float[] b = java.util.Arrays.copyOfRange(values, 4, 7);
        List<Pair<String, Parameter>> out = new ArrayList<>();
        out.add(new Pair<>(n[0], parameter(manager, n[0], new Shape(2, 2), w)));
        out.add(new Pair<>(n[1], parameter(manager, n[1], new Shape(3), b)));
        return out;
    }

    private static Parameter parameter(NDManager manager, String name, Shape shape, float[] values) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape)
                .optInitializer((Initializer) (mm, s, dataType) -> mm.create(values, s)).build();
        p.initialize(manager, DataType.FLOAT32);
        return p;
    }

    private static float[] values(List<Pair<String, Parameter>> parameters) {
        float[] w = parameters.get(0).getValue().getArray().toFloatArray();
        float[] b = parameters.get(1).getValue().getArray().toFloatArray();
        float[] out = java.util.Arrays.copyOf(w, 7);
        System.arraycopy(b, 0, out, 4, 3);
        return out;
    }

    /** loss = sum(w * g_w) + sum(b * g_b): the gradients are the given values. */
    private static void backward(NDManager manager, List<Pair<String, Parameter>> parameters, float[] grad) {
        try (GradientCollector collector = GradientLock.open(() -> Engine.getInstance().newGradientCollector())) {
            NDArray w = parameters.get(0).getValue().getArray();
            NDArray b = parameters.get(1).getValue().getArray();
            collector.backward(w.mul(manager.create(java.util.Arrays.copyOfRange(grad, 0, 4), new Shape(2, 2))).sum()
                    .add(b.mul(manager.create(java.util.Arrays.copyOfRange(grad, 4, 7))).sum()));
        }
    }

    private static byte[] bytes(AdamState state) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        state.writeTo(out);
        return out.toByteArray();
    }

    private static void assertSameState(AdamState expected, AdamState actual) {
        assertEquals(expected.updates(), actual.updates());
        assertEquals(expected.moments().size(), actual.moments().size());
        for (int i = 0; i < expected.moments().size(); i++) {
            AdamState.Moments e = expected.moments().get(i);
            AdamState.Moments a = actual.moments().get(i);
            assertEquals(e.name(), a.name());
            assertArrayEquals(e.shape(), a.shape());
            assertArrayEquals(AdamStateTest.bits(e.first()), AdamStateTest.bits(a.first()), e.name());
            assertArrayEquals(AdamStateTest.bits(e.second()), AdamStateTest.bits(a.second()), e.name());
        }
    }

    @Test
    void shouldContinueBitIdenticallyAfterSavingAndRestoringItsState() throws IOException {
        float[] w0 = {1f, -2f, 0.5f, 0f, 0.3f, -0.7f, 2f};
        try (NDManager manager = NDManager.newBaseManager();
             DirectAdam uninterrupted = new DirectAdam(WARM_UP, 0);
             DirectAdam resumed = new DirectAdam(WARM_UP, 2);
             DirectAdam zeroMoments = new DirectAdam(WARM_UP, 2)) {
            List<Pair<String, Parameter>> a = parameters(manager, w0);
            for (int s = 0; s < 2; s++) {
                backward(manager, a, GRADS[s]);
                uninterrupted.update(a);
            }
            AdamState saved = uninterrupted.state(a);
            assertEquals(2, saved.updates());
            assertEquals(List.of("w", "b"), saved.moments().stream().map(AdamState.Moments::name).toList());
            assertFalse(java.util.Arrays.equals(new float[4], saved.moments().get(0).first()), "moments were saved");

            // a new process: fresh parameter instances (new ids) with the saved values, state read from bytes
            List<Pair<String, Parameter>> b = parameters(manager, values(a));
            List<Pair<String, Parameter>> c = parameters(manager, values(a));
            resumed.restore(AdamState.readFrom(new ByteArrayInputStream(bytes(saved)), "mem"), b, "mem");
            assertSameState(saved, resumed.state(b));
            for (int s = 2; s < 4; s++) {
                backward(manager, a, GRADS[s]);
                backward(manager, b, GRADS[s]);
                backward(manager, c, GRADS[s]);
                assertEquals(uninterrupted.update(a), resumed.update(b), 0f, "rate of update " + (s + 1));
                zeroMoments.update(c);
                assertArrayEquals(AdamStateTest.bits(values(a)), AdamStateTest.bits(values(b)),
                        "parameters after update " + (s + 1));
            }
            assertSameState(uninterrupted.state(a), resumed.state(b));
            // the control: restarting with zero moments does not reproduce the run, so the check above can fail
            assertFalse(java.util.Arrays.equals(values(a), values(c)));
        }
    }

    @Test
    void shouldRefuseAStateThatDoesNotFitTheParametersNamingFileAndParameterAndChangeNothing() throws IOException {
        float[] w0 = {1f, -2f, 0.5f, 0f, 0.3f, -0.7f, 2f};
        try (NDManager manager = NDManager.newBaseManager();
             DirectAdam saver = new DirectAdam(WARM_UP, 0);
             DirectAdam target = new DirectAdam(WARM_UP, 1)) {
            List<Pair<String, Parameter>> a = parameters(manager, w0);
            backward(manager, a, GRADS[0]);
            saver.update(a);
            AdamState saved = saver.state(a);

            List<Pair<String, Parameter>> renamed = parameters(manager, w0, "w", "bias");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> target.restore(saved, renamed, "/c/x.optimizer"));
            assertTrue(e.getMessage().contains("/c/x.optimizer") && e.getMessage().contains("'b'")
                    && e.getMessage().contains("does not train"), e.getMessage());

            List<Pair<String, Parameter>> extra = new ArrayList<>(parameters(manager, w0));
            extra.add(new Pair<>("c", parameter(manager, "c", new Shape(1), new float[] {1f})));
            e = assertThrows(IllegalArgumentException.class, () -> target.restore(saved, extra, "/c/x.optimizer"));
            assertTrue(e.getMessage().contains("/c/x.optimizer") && e.getMessage().contains("no moments for "
                    + "parameter 'c'"), e.getMessage());

            List<Pair<String, Parameter>> reshaped = List.of(
                    new Pair<>("w", parameter(manager, "w", new Shape(4), new float[4])), a.get(1));
            e = assertThrows(IllegalArgumentException.class, () -> target.restore(saved, reshaped, "/c/x.optimizer"));
            assertTrue(e.getMessage().contains("'w' has shape [2, 2] in the file but [4] here"), e.getMessage());

            try (DirectAdam elsewhere = new DirectAdam(WARM_UP, 5)) {
                e = assertThrows(IllegalArgumentException.class, () -> elsewhere.restore(saved, a, "/c/x.optimizer"));
                assertTrue(e.getMessage().contains("saved after 1 updates but the optimizer resumes at update 5"),
                        e.getMessage());
            }

            // nothing changed: the target still starts from zero moments
            AdamState untouched = target.state(a);
            assertArrayEquals(new float[4], untouched.moments().get(0).first(), 0f);
            assertArrayEquals(new float[3], untouched.moments().get(1).second(), 0f);
        }
    }
}
