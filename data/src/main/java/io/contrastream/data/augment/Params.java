package io.contrastream.data.augment;

import java.util.Map;
import java.util.Set;

/** Reads and validates the parameters of one {@link AugmentationSpec}. */
final class Params {

    private final AugmentationSpec spec;

    Params(AugmentationSpec spec, Set<String> known) {
        this.spec = spec;
        for (String key : spec.params().keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("Augmentation '" + spec.name() + "' has unknown parameter '" + key
                        + "'; known parameters: " + new java.util.TreeSet<>(known));
            }
        }
    }

    double get(String key, double defaultValue, double min, double max) {
        Map<String, Double> p = spec.params();
        double v = p.getOrDefault(key, defaultValue);
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException("Augmentation '" + spec.name() + "' parameter '" + key + "' is " + v
                    + ", expected a value in [" + min + ", " + max + "]");
        }
        return v;
    }

    void checkOrder(String lowKey, double low, String highKey, double high) {
        if (low > high) {
            throw new IllegalArgumentException("Augmentation '" + spec.name() + "' parameter '" + lowKey + "' (" + low
                    + ") must not exceed '" + highKey + "' (" + high + ")");
        }
    }
}
