package io.contrastream.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient operations over a set of parameters: global L2 norm, clipping by global norm (Pascanu, Mikolov, Bengio
 * 2013, "On the difficulty of training recurrent neural networks", ICML, algorithm 1), element-wise clipping to
 * {@code [-t, t]} and zeroing.
 */
public final class GradientClipping {
    private GradientClipping() {
    }

    /** {@code sqrt(sum over parameters of ||grad||^2)}; NaN or infinity if any gradient is non-finite. */
    public static float globalNorm(Iterable<Pair<String, Parameter>> parameters) {
        List<NDArray> gradients = gradients(parameters);
        if (gradients.isEmpty()) {
            return 0f;
        }
        // One temporary manager so a single device-to-host sync reads the total. One fused L2 reduction per gradient
        // (no squared copy of it), then the norm of the per-parameter norms.
        try (NDManager scratch = gradients.get(0).getManager().newSubManager()) {
            NDList partials = new NDList(gradients.size());
            for (NDArray gradient : gradients) {
                gradient.attach(scratch);
                partials.add(gradient.flatten().norm());
            }
            return NDArrays.stack(partials).norm().getFloat();
        }
    }

    /**
     * Rescales all gradients in place by {@code maxNorm / norm} when their global norm exceeds {@code maxNorm}.
     *
     * @return the global norm before clipping
     */
    public static float clipGlobalNorm(Iterable<Pair<String, Parameter>> parameters, float maxNorm) {
        float norm = globalNorm(parameters);
        if (Float.isFinite(norm) && norm > maxNorm) {
            float scale = maxNorm / (norm + 1e-6f);
            for (NDArray gradient : gradients(parameters)) {
                try (gradient) {
                    gradient.muli(scale);
                }
            }
        }
        return norm;
    }

    /**
     * Clamps every gradient element to {@code [-maxValue, maxValue]} in place. (DJL's optimiser option
     * {@code optClipGrad} only clamps from above in the PyTorch engine, so negative gradients were never clipped.)
     */
    public static void clipValue(Iterable<Pair<String, Parameter>> parameters, float maxValue) {
        if (!(maxValue > 0)) {
            throw new IllegalArgumentException("clipValue: maxValue must be > 0, got " + maxValue);
        }
        for (NDArray gradient : gradients(parameters)) {
            try (gradient; NDArray clipped = gradient.clip(-maxValue, maxValue)) {
                gradient.set(new NDIndex("..."), clipped);
            }
        }
    }

    /** Sets every gradient to zero in place (also clears NaN, which subtraction would keep). */
    public static void zero(Iterable<Pair<String, Parameter>> parameters) {
        for (NDArray gradient : gradients(parameters)) {
            try (gradient) {
                gradient.set(new NDIndex("..."), 0f);
            }
        }
    }

    private static List<NDArray> gradients(Iterable<Pair<String, Parameter>> parameters) {
        List<NDArray> gradients = new ArrayList<>();
        for (Pair<String, Parameter> pair : parameters) {
            Parameter parameter = pair.getValue();
            if (parameter.isInitialized() && parameter.requiresGradient() && parameter.getArray().hasGradient()) {
                gradients.add(parameter.getArray().getGradient());
            }
        }
        return gradients;
    }
}
