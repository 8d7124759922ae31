package io.contrastream.eval.metrics;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One published metric value, uniform across metric kinds so a worker can publish them the same way.
 *
 * @param name   metric name, e.g. "recall@1", "robust-accuracy"
 * @param value  the value (NaN when undefined for the data, e.g. AUC of a single-class split)
 * @param split  the evaluated split, e.g. "test"
 * @param labels extra dimensions, e.g. {"attack": "pgd-10", "epsilon": "0.1"}; sorted by key
 */
public record MetricValue(String name, double value, String split, Map<String, String> labels) {

    /** Validates names and copies the labels into an unmodifiable sorted map. */
    public MetricValue {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("MetricValue: name must be non-blank");
        }
        if (split == null || split.isBlank()) {
            throw new IllegalArgumentException("MetricValue " + name + ": split must be non-blank");
        }
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    /** A value without extra labels. */
    public static MetricValue of(String name, double value, String split) {
        return new MetricValue(name, value, split, Map.of());
    }
}
