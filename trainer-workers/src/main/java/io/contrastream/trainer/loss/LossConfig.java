package io.contrastream.trainer.loss;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which contrastive loss to train with. {@link Losses#create(LossConfig)} turns it into a {@link ContrastiveLoss}.
 *
 * <p>Names: {@code infonce} (alias {@code ntxent}), {@code multiview-infonce}, {@code dcl}, {@code supcon},
 * {@code rehearsal-supcon}, {@code mw}, {@code co2l} (asymmetric SupCon on current-task anchors plus IRD).
 * Parameters (all optional):
 * <ul>
 *   <li>{@code anchors} = {@code rehearsal} | {@code current}: anchor set of {@code rehearsal-supcon}
 *       (default rehearsal);</li>
 *   <li>{@code mochi.hardest}, {@code mochi.synthetic}, {@code mochi.querySynthetic}, {@code mochi.seed}: wrap in
 *       {@link MochiLoss} when {@code mochi.hardest} is set (defaults 16 / 16 / 0 / 0);</li>
 *   <li>{@code rehearsal.weight}, {@code rehearsal.temperature}: add a SupCon term on the batch's replayed samples
 *       ({@link RehearsalSupConTerm}) when {@code rehearsal.weight} is set (temperature defaults to the loss's);
 *       e.g. {@code infonce} with {@code rehearsal.weight=1} trains the current task self-supervised and the replay
 *       buffer with its labels, from the first task on;</li>
 *   <li>{@code ird.weight}, {@code ird.temperature}, {@code ird.teacherTemperature}: wrap in
 *       {@link RelationDistillationLoss} when {@code ird.weight} is set (always for {@code co2l}; defaults 1.0 /
 *       0.2 / 0.01).</li>
 * </ul>
 *
 * @param name        loss name, lower case
 * @param temperature softmax temperature {@code tau > 0}
 * @param params      extra parameters, string-valued so the config travels in an event
 */
public record LossConfig(String name, float temperature, Map<String, String> params) {
    static final Set<String> NAMES = Set.of("infonce", "ntxent", "multiview-infonce", "dcl", "supcon",
            "rehearsal-supcon", "mw", "co2l");
    static final Set<String> PARAM_KEYS = Set.of("anchors", "mochi.hardest", "mochi.synthetic",
            "mochi.querySynthetic", "mochi.seed", "rehearsal.weight", "rehearsal.temperature", "ird.weight",
            "ird.temperature", "ird.teacherTemperature");

    public LossConfig {
        if (name == null || !NAMES.contains(name.toLowerCase(Locale.ROOT))) {
            throw new InvalidLossConfigException("name", "unknown loss '" + name + "'; expected one of "
                    + new java.util.TreeSet<>(NAMES));
        }
        name = name.toLowerCase(Locale.ROOT);
        if (!(temperature > 0f) || Float.isInfinite(temperature)) {
            throw new InvalidLossConfigException("temperature", "must be finite and > 0, got " + temperature);
        }
        params = params == null ? Map.of() : Map.copyOf(params);
        for (String key : params.keySet()) {
            if (!PARAM_KEYS.contains(key)) {
                throw new InvalidLossConfigException(key, "unknown parameter; expected one of "
                        + new java.util.TreeSet<>(PARAM_KEYS));
            }
        }
    }

    /**
     * Whether the loss reads the batch's rehearsal mask ({@code rehearsal-supcon}, {@code co2l}, or any loss with
     * {@code rehearsal.weight}), so the trainer must run with a replay buffer.
     */
    public boolean usesRehearsalMask() {
        return name.equals("rehearsal-supcon") || name.equals("co2l") || params.containsKey("rehearsal.weight");
    }

    /** Loss names whose objective reads {@link LossInput#negatives()} (explicit, e.g. mined hard, negatives). */
    public static final Set<String> EXPLICIT_NEGATIVE_LOSSES = Set.of("infonce", "ntxent", "multiview-infonce",
            "dcl", "supcon", "mw");

    /**
     * Whether the loss uses explicit negatives ({@link LossInput#negatives()}): InfoNCE, multi-view InfoNCE, DCL,
     * SupCon and Mann-Whitney do, also under the MoCHi, rehearsal-term and IRD decorators;
     * {@code rehearsal-supcon} and {@code co2l} do not.
     */
    public boolean usesExplicitNegatives() {
        return EXPLICIT_NEGATIVE_LOSSES.contains(name);
    }

    /** {@code name} with temperature and no parameters. */
    public static LossConfig of(String name, float temperature) {
        return new LossConfig(name, temperature, Map.of());
    }

    /** String form: {@code name}, {@code temperature} and each parameter under its own key. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("temperature", Float.toString(temperature));
        map.putAll(new TreeMap<>(params));
        return Map.copyOf(map);
    }

    /** Parses the form written by {@link #toMap()}. */
    public static LossConfig fromMap(Map<String, String> map) {
        Objects.requireNonNull(map, "map");
        Map<String, String> params = new LinkedHashMap<>(map);
        String name = params.remove("name");
        String temperature = params.remove("temperature");
        if (name == null) {
            throw new InvalidLossConfigException("name", "missing from map; present keys: " + map.keySet());
        }
        if (temperature == null) {
            throw new InvalidLossConfigException("temperature", "missing from map; present keys: " + map.keySet());
        }
        return new LossConfig(name, parseFloat("temperature", temperature), params);
    }

    static float parseFloat(String key, String text) {
        try {
            return Float.parseFloat(text.trim());
        } catch (NumberFormatException e) {
            throw new InvalidLossConfigException(key, "not a number: '" + text + "'");
        }
    }

    static float checkTemperature(float temperature) {
        if (!(temperature > 0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
        }
        return temperature;
    }
}
