package io.contrastream.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.HashMap;
import java.util.Map;

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
 * <p>Not thread-safe. Moments are created on a parameter's first update and closed by {@link #close()}.
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
            PtNDArray[] state = moments.computeIfAbsent(parameter.getId(),
                    id -> new PtNDArray[] {(PtNDArray) weight.zerosLike(), (PtNDArray) weight.zerosLike()});
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

    @Override
    public void close() {
        for (PtNDArray[] state : moments.values()) {
            state[0].close();
            state[1].close();
        }
        moments.clear();
    }
}
