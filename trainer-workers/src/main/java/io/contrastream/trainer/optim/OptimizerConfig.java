package io.contrastream.trainer.optim;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Optimiser settings: algorithm, learning-rate schedule (linear warm-up, then cosine decay to a floor) and gradient
 * clipping. Built with {@link #builder()}; turned into DJL objects by {@link Optimizers}.
 *
 * <p>Weight decay is DJL's: added to the gradient as {@code wd * w} before the update (L2 regularisation, not
 * decoupled AdamW). DJL optimisers hold no randomness; run-level seeding is done by the training engine.
 *
 * @param algorithm         ADAM or SGD (with momentum)
 * @param learningRate      peak learning rate, reached at the end of warm-up
 * @param momentum          SGD momentum in [0, 1); ignored by Adam
 * @param weightDecay       L2 weight decay, >= 0
 * @param warmUpSteps       linear warm-up steps from 0 to {@code learningRate}, >= 0
 * @param totalSteps        step at which the cosine decay reaches {@code finalLearningRate}; 0 = constant after
 *                          warm-up
 * @param finalLearningRate floor of the cosine decay, in [0, learningRate]
 * @param clipping          gradient clipping mode
 * @param clipThreshold     max global L2 norm (NORM) or max absolute element (VALUE); ignored for NONE
 */
public record OptimizerConfig(Algorithm algorithm, float learningRate, float momentum, float weightDecay,
                              int warmUpSteps, int totalSteps, float finalLearningRate, Clipping clipping,
                              float clipThreshold) {

    /** Update rule. */
    public enum Algorithm { ADAM, SGD }

    /** Gradient clipping applied after backward, before the update. */
    public enum Clipping {
        /** No clipping. */
        NONE,
        /** Rescale all gradients together so their global L2 norm is at most the threshold. */
        NORM,
        /** Clamp every gradient element to [-threshold, threshold] (DJL optimizer clipGrad). */
        VALUE
    }

    public OptimizerConfig {
        Objects.requireNonNull(algorithm, "OptimizerConfig.algorithm");
        Objects.requireNonNull(clipping, "OptimizerConfig.clipping");
        check(learningRate > 0f && Float.isFinite(learningRate), "learningRate", "must be finite and > 0", learningRate);
        check(momentum >= 0f && momentum < 1f, "momentum", "must be in [0, 1)", momentum);
        check(weightDecay >= 0f && Float.isFinite(weightDecay), "weightDecay", "must be finite and >= 0", weightDecay);
        check(warmUpSteps >= 0, "warmUpSteps", "must be >= 0", warmUpSteps);
        check(totalSteps == 0 || totalSteps > warmUpSteps, "totalSteps",
                "must be 0 (no decay) or greater than warmUpSteps=" + warmUpSteps, totalSteps);
        check(finalLearningRate >= 0f && finalLearningRate <= learningRate, "finalLearningRate",
                "must be in [0, learningRate=" + learningRate + "]", finalLearningRate);
        check(clipping == Clipping.NONE || (clipThreshold > 0f && Float.isFinite(clipThreshold)), "clipThreshold",
                "must be finite and > 0 when clipping is " + clipping, clipThreshold);
    }

    private static void check(boolean ok, String field, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("OptimizerConfig." + field + " " + rule + ", got " + value);
        }
    }

    /** String form for transport in an event; keys are the record component names. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("algorithm", algorithm.name());
        map.put("learningRate", Float.toString(learningRate));
        map.put("momentum", Float.toString(momentum));
        map.put("weightDecay", Float.toString(weightDecay));
        map.put("warmUpSteps", Integer.toString(warmUpSteps));
        map.put("totalSteps", Integer.toString(totalSteps));
        map.put("finalLearningRate", Float.toString(finalLearningRate));
        map.put("clipping", clipping.name());
        map.put("clipThreshold", Float.toString(clipThreshold));
        return Map.copyOf(map);
    }

    /**
     * Parses the form written by {@link #toMap()}; {@code algorithm} and {@code learningRate} are required, other
     * keys default as in the {@link Builder}.
     *
     * @throws IllegalArgumentException naming the key if a value is missing, malformed or invalid
     */
    public static OptimizerConfig fromMap(Map<String, String> map) {
        Set<String> known = Set.of("algorithm", "learningRate", "momentum", "weightDecay", "warmUpSteps",
                "totalSteps", "finalLearningRate", "clipping", "clipThreshold");
        for (String key : map.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("OptimizerConfig." + key + ": unknown key; expected one of "
                        + new TreeSet<>(known));
            }
        }
        Builder b = builder()
                .setAlgorithm(parseEnum(Algorithm.class, "algorithm", map.get("algorithm")))
                .setLearningRate(parseFloat("learningRate", map.get("learningRate")));
        if (map.containsKey("momentum")) {
            b.optMomentum(parseFloat("momentum", map.get("momentum")));
        }
        if (map.containsKey("weightDecay")) {
            b.optWeightDecay(parseFloat("weightDecay", map.get("weightDecay")));
        }
        b.optSchedule((int) parseFloat("warmUpSteps", map.getOrDefault("warmUpSteps", "0")),
                (int) parseFloat("totalSteps", map.getOrDefault("totalSteps", "0")),
                parseFloat("finalLearningRate", map.getOrDefault("finalLearningRate", "0")));
        b.optClipping(parseEnum(Clipping.class, "clipping", map.getOrDefault("clipping", "NONE")),
                parseFloat("clipThreshold", map.getOrDefault("clipThreshold", "0")));
        return b.build();
    }

    private static float parseFloat(String key, String text) {
        if (text == null) {
            throw new IllegalArgumentException("OptimizerConfig." + key + ": missing");
        }
        try {
            return Float.parseFloat(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("OptimizerConfig." + key + ": not a number: '" + text + "'");
        }
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String key, String text) {
        if (text == null) {
            throw new IllegalArgumentException("OptimizerConfig." + key + ": missing");
        }
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("OptimizerConfig." + key + ": unknown value '" + text
                    + "'; expected one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    /** Adam with the given learning rate, no schedule, no clipping. */
    public static OptimizerConfig adam(float learningRate) {
        return builder().setAlgorithm(Algorithm.ADAM).setLearningRate(learningRate).build();
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder: {@code setX} required, {@code optX} optional with the defaults shown. */
    public static final class Builder {
        private Algorithm algorithm;
        private float learningRate = Float.NaN;
        private float momentum = 0.9f;
        private float weightDecay;
        private int warmUpSteps;
        private int totalSteps;
        private float finalLearningRate;
        private Clipping clipping = Clipping.NONE;
        private float clipThreshold;

        private Builder() {
        }

        public Builder setAlgorithm(Algorithm algorithm) {
            this.algorithm = algorithm;
            return this;
        }

        public Builder setLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** Default 0.9 (SGD only). */
        public Builder optMomentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        /** Default 0. */
        public Builder optWeightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Warm-up then cosine decay to {@code finalLearningRate} at {@code totalSteps}. Default: constant rate. */
        public Builder optSchedule(int warmUpSteps, int totalSteps, float finalLearningRate) {
            this.warmUpSteps = warmUpSteps;
            this.totalSteps = totalSteps;
            this.finalLearningRate = finalLearningRate;
            return this;
        }

        /** Default NONE. */
        public Builder optClipping(Clipping clipping, float threshold) {
            this.clipping = clipping;
            this.clipThreshold = threshold;
            return this;
        }

        public OptimizerConfig build() {
            return new OptimizerConfig(algorithm, learningRate, momentum, weightDecay, warmUpSteps, totalSteps,
                    finalLearningRate, clipping, clipThreshold);
        }
    }
}
