package io.contrastream.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DJL's Adam update (PyTorch engine), applied straight to each parameter instead of through
 * {@code Trainer.step()}. Same native kernel, same arguments, so the same parameters bit for bit (a test checks it):
 * <pre>  g' = g + wd * w;  m = b1 m + (1 - b1) g';  v = b2 v + (1 - b2) g'^2;
 *  w -= lr_t * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)</pre>
 * with {@code t} the 1-based update number ({@code beginStep + 1} first) and {@code lr_t} the schedule's rate at
 * {@code t}; afterwards the gradient is zeroed, as DJL does. (The epsilon sits outside the bias correction, as in
 * Kingma and Ba 2015, "Adam: A Method for Stochastic Optimization", section 2's efficient form.)
 *
 * <p>What {@code Trainer.step()} adds on top and this skips, per step: a copy of every gradient
 * ({@code LocalParameterServer}) and an "all gradients are zero" check (one sum per gradient, a stack and a
 * device-to-host read). The training engine checks gradients itself (global norm, non-finite guard).
 *
 * <p>Moments are kept per parameter <em>name</em> (the key in {@code Block.getParameters()}), stable across
 * processes, unlike {@code Parameter.getId()} (a random UUID per instance). {@link #state} and {@link #restore} carry
 * them, with the update count, through a checkpoint ({@link AdamState}), so a resumed run continues bit for bit.
 *
 * <p>Not thread-safe. Moments are created on a parameter's first update (or by {@link #restore}) and closed by
 * {@link #close()}.
 */
public final class DirectAdam implements AutoCloseable {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final Tracker learningRate;
    private final float weightDecay;
    private final Map<String, PtNDArray[]> moments = new HashMap<>();
    private int updates;

    /**
     * @param config    an {@link OptimizerConfig.Algorithm#ADAM} configuration (its schedule and weight decay)
     * @param beginStep updates already done (the schedule and bias correction continue from there)
     */
    public DirectAdam(OptimizerConfig config, int beginStep) {
        if (config.algorithm() != OptimizerConfig.Algorithm.ADAM) {
            throw new IllegalArgumentException("DirectAdam needs an ADAM config, got " + config.algorithm());
        }
        if (beginStep < 0) {
            throw new IllegalArgumentException("beginStep must be >= 0, got " + beginStep);
        }
        this.learningRate = Optimizers.learningRate(config);
        this.weightDecay = config.weightDecay();
        this.updates = beginStep;
    }

    /**
     * Applies one update to every initialised parameter that requires a gradient, then zeroes the gradients.
     *
     * @return the learning rate the schedule gave this update
     */
    public float update(Iterable<Pair<String, Parameter>> parameters) {
        int t = Math.addExact(updates, 1);
        float rate = learningRate.getNewValue(t);
        // as DJL's Adam.update: double arithmetic, one rounding to float
        double correction1 = 1.0 - Math.pow(BETA1, t);
        double correction2 = 1.0 - Math.pow(BETA2, t);
        float corrected = (float) (rate * Math.sqrt(correction2) / correction1);
        if (!Float.isFinite(corrected)) {
            throw new IllegalStateException("learning rate " + rate + " at update " + t + " is not finite");
        }
        for (Pair<String, Parameter> pair : parameters) {
            Parameter parameter = pair.getValue();
            if (!parameter.isInitialized() || !parameter.requiresGradient()) {
                continue;
            }
            PtNDArray weight = (PtNDArray) parameter.getArray();
            if (!weight.hasGradient()) {
                continue;
            }
            PtNDArray[] state = moments.computeIfAbsent(pair.getKey(),
                    name -> new PtNDArray[] {(PtNDArray) weight.zerosLike(), (PtNDArray) weight.zerosLike()});
            try (NDArray gradient = weight.getGradient()) {
                JniUtils.adamUpdate(weight, (PtNDArray) gradient, state[0], state[1], rate, corrected, weightDecay,
                        1f, -1f, BETA1, BETA2, EPSILON, false);
            }
            JniUtils.zeroGrad(weight);
        }
        updates = t;
        return rate;
    }

    /** Updates applied so far, including {@code beginStep}. */
    public int updates() {
        return updates;
    }

    /**
     * A heap copy of the update count and of the moments of every initialised parameter that requires a gradient, in
     * {@code parameters} order; a parameter not updated yet gets zeros (what its first update would start from).
     *
     * @throws IllegalStateException if a parameter is not float32 or a name appears twice
     */
    public AdamState state(Iterable<Pair<String, Parameter>> parameters) {
        List<AdamState.Moments> out = new ArrayList<>();
        for (Map.Entry<String, Parameter> entry : trainable(parameters).entrySet()) {
            String name = entry.getKey();
            NDArray weight = entry.getValue().getArray();
            long[] shape = weight.getShape().getShape();
            PtNDArray[] state = moments.get(name);
            if (state == null) {
                int size = Math.toIntExact(weight.size());
                out.add(new AdamState.Moments(name, shape, new float[size], new float[size]));
            } else {
                out.add(new AdamState.Moments(name, shape, state[0].toFloatArray(), state[1].toFloatArray()));
            }
        }
        return new AdamState(updates, out);
    }

    /**
     * Replaces the moments with those of {@code state}. Everything is checked before anything changes
     * ({@link #check}): the state must hold exactly the initialised trainable parameters of {@code parameters}, by
     * name, with their shapes, and its update count must equal {@link #updates()} (the {@code beginStep} this
     * optimiser was resumed at), so the schedule and the bias correction continue where the saved run was.
     *
     * @param source names the state's file in error messages
     * @throws IllegalArgumentException naming {@code source} and the parameter on any mismatch
     */
    public void restore(AdamState state, Iterable<Pair<String, Parameter>> parameters, String source) {
        Map<String, Parameter> trainable = check(state, parameters, updates, source);
        close();
        for (AdamState.Moments m : state.moments()) {
            PtNDArray weight = (PtNDArray) trainable.get(m.name()).getArray();
            Shape shape = new Shape(m.shape());
            // the weight's manager creates on the weight's device, as zerosLike does for fresh moments
            moments.put(m.name(), new PtNDArray[] {
                    (PtNDArray) weight.getManager().create(FloatBuffer.wrap(m.first()), shape, DataType.FLOAT32),
                    (PtNDArray) weight.getManager().create(FloatBuffer.wrap(m.second()), shape, DataType.FLOAT32)});
        }
    }

    /**
     * Checks, without changing anything, that {@code state} can be restored into an optimiser over
     * {@code parameters} resumed at {@code updates}: exactly the initialised trainable parameters, by name, with their
     * shapes, and the same update count.
     *
     * @param source names the state's file in error messages
     * @return the trainable parameters by name
     * @throws IllegalArgumentException naming {@code source} and the parameter on any mismatch
     */
    public static Map<String, Parameter> check(AdamState state, Iterable<Pair<String, Parameter>> parameters,
                                               int updates, String source) {
        String where = "optimizer state " + source;
        if (state.updates() != updates) {
            throw new IllegalArgumentException(where + " was saved after " + state.updates()
                    + " updates but the optimizer resumes at update " + updates);
        }
        Map<String, Parameter> trainable = trainable(parameters);
        Set<String> saved = new HashSet<>();
        for (AdamState.Moments m : state.moments()) {
            Parameter parameter = trainable.get(m.name());
            if (parameter == null) {
                throw new IllegalArgumentException(where + " holds moments for parameter '" + m.name()
                        + "', which this encoder does not train (its parameters: " + trainable.keySet() + ")");
            }
            long[] shape = parameter.getArray().getShape().getShape();
            if (!Arrays.equals(shape, m.shape())) {
                throw new IllegalArgumentException(where + ": parameter '" + m.name() + "' has shape "
                        + Arrays.toString(m.shape()) + " in the file but " + Arrays.toString(shape) + " here");
            }
            saved.add(m.name());
        }
        for (String name : trainable.keySet()) {
            if (!saved.contains(name)) {
                throw new IllegalArgumentException(where + " has no moments for parameter '" + name + "'");
            }
        }
        return trainable;
    }

    private static Map<String, Parameter> trainable(Iterable<Pair<String, Parameter>> parameters) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> pair : parameters) {
            Parameter parameter = pair.getValue();
            if (!parameter.isInitialized() || !parameter.requiresGradient()) {
                continue;
            }
            if (parameter.getArray().getDataType() != DataType.FLOAT32) {
                throw new IllegalStateException("parameter '" + pair.getKey() + "' is "
                        + parameter.getArray().getDataType() + "; Adam state is saved as float32 only");
            }
            if (out.put(pair.getKey(), parameter) != null) {
                throw new IllegalStateException("parameter name '" + pair.getKey() + "' appears twice");
            }
        }
        return out;
    }

    @Override
    public void close() {
        for (PtNDArray[] state : moments.values()) {
            state[0].close();
            state[1].close();
        }
        moments.clear();
    }
}
