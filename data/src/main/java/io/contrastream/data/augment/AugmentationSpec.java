package io.contrastream.data.augment;

import java.util.Map;
import java.util.TreeMap;

/**
 * One step of an augmentation recipe, as data: the augmentation name, the probability that it is applied to a
 * view, and its numeric parameters (missing parameters take the documented defaults; see
 * {@link AugmentationPipeline} for the names and parameters).
 *
 * @param name        augmentation name, e.g. {@code random_resized_crop}
 * @param probability probability in [0, 1] of applying the step
 * @param params      parameters by name
 */
public record AugmentationSpec(String name, double probability, Map<String, Double> params) {

    /** Validates and copies the parameters into a sorted, unmodifiable map. */
    public AugmentationSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("AugmentationSpec name must not be blank");
        }
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("AugmentationSpec '" + name + "' probability must be in [0, 1], got "
                    + probability);
        }
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(params));
        for (Map.Entry<String, Double> e : params.entrySet()) {
            if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("AugmentationSpec '" + name + "' parameter '" + e.getKey()
                        + "' must be a finite number, got " + e.getValue());
            }
        }
    }

    /** A step with default parameters. */
    public static AugmentationSpec of(String name, double probability) {
        return new AugmentationSpec(name, probability, Map.of());
    }
}
