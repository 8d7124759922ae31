package io.contrastream.trainer;

import io.contrastream.data.augment.AugmentationPresets;
import io.contrastream.model.replay.ReplayPolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The trainer's rehearsal (experience replay) settings: an episodic memory of raw samples ({@code ReplayBuffer})
 * filled from the trained stream, and replayed samples appended to every current-task batch
 * ({@code BatchComposer}), as in Chaudhry et al. 2019, "On Tiny Episodic Memories in Continual Learning".
 * Which loss the rehearsal uses is the trainer's {@link io.contrastream.trainer.loss.LossConfig}.
 *
 * @param capacity     samples the buffer holds; 0 turns replay off
 * @param policy       eviction policy once the buffer is full
 * @param ratio        replayed samples per current sample, {@code R = min(round(ratio * B), stored)}
 * @param augmentation augmentation preset ({@code digits}, {@code natural}, {@code none}) for the fresh views of
 *                     replayed samples; empty = {@code digits} for 1-channel inputs, {@code natural} otherwise
 */
public record ReplaySettings(int capacity, ReplayPolicy policy, double ratio, Optional<String> augmentation) {
    /** Default replay ratio. */
    public static final double DEFAULT_RATIO = 0.5;

    public ReplaySettings {
        if (capacity < 0) {
            throw new IllegalArgumentException("ReplaySettings.capacity must be >= 0 samples (0 = replay off), got "
                    + capacity);
        }
        Objects.requireNonNull(policy, "ReplaySettings.policy must be RESERVOIR or CLASS_BALANCED");
        if (!(ratio >= 0) || Double.isInfinite(ratio)) {
            throw new IllegalArgumentException("ReplaySettings.ratio must be finite and >= 0, got " + ratio);
        }
        Objects.requireNonNull(augmentation, "ReplaySettings.augmentation (use Optional.empty() for the default)");
        augmentation.ifPresent(AugmentationPresets::byName);
    }

    /** Replay off. */
    public static ReplaySettings off() {
        return new ReplaySettings(0, ReplayPolicy.RESERVOIR, DEFAULT_RATIO, Optional.empty());
    }

    /** A buffer of {@code capacity} samples under {@code policy}, ratio 0.5, default augmentation. */
    public static ReplaySettings of(int capacity, ReplayPolicy policy) {
        return new ReplaySettings(capacity, policy, DEFAULT_RATIO, Optional.empty());
    }

    /** This with another replay ratio. */
    public ReplaySettings withRatio(double newRatio) {
        return new ReplaySettings(capacity, policy, newRatio, augmentation);
    }

    /** This with an explicit augmentation preset for replayed samples. */
    public ReplaySettings withAugmentation(String preset) {
        return new ReplaySettings(capacity, policy, ratio, Optional.of(preset));
    }

    /** Whether a buffer is kept ({@code capacity > 0}). */
    public boolean enabled() {
        return capacity > 0;
    }

    /** The preset used for inputs with {@code channels} channels. */
    public String presetFor(int channels) {
        return augmentation.orElse(channels == 1 ? "digits" : "natural");
    }

    /** String form for checkpoint provenance, keys without prefix. */
    Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("capacity", Integer.toString(capacity));
        map.put("policy", policy.name());
        map.put("ratio", Double.toString(ratio));
        map.put("augmentation", augmentation.orElse("default"));
        return map;
    }
}
