package io.contrastream.trainer.loss;

import java.util.Locale;

/** Creates a {@link ContrastiveLoss} from a {@link LossConfig}; see there for names and parameters. */
public final class Losses {
    private Losses() {
    }

    /**
     * Builds the configured loss, with MoCHi, rehearsal-SupCon and IRD decorators (in that order, innermost first)
     * when their parameters are set.
     *
     * @throws InvalidLossConfigException naming the parameter if a value does not parse or is out of range
     */
    public static ContrastiveLoss create(LossConfig config) {
        float t = config.temperature();
        ContrastiveLoss loss = switch (config.name()) {
            case "infonce", "ntxent" -> new InfoNceLoss(t);
            case "multiview-infonce" -> new MultiViewInfoNceLoss(t);
            case "dcl" -> new DecoupledContrastiveLoss(t);
            case "supcon" -> new SupConLoss(t);
            case "rehearsal-supcon" -> new RehearsalSupConLoss(t, anchors(config));
            case "mw" -> new MannWhitneyLoss(t);
            case "co2l" -> new RehearsalSupConLoss(t, RehearsalSupConLoss.AnchorSet.CURRENT);
            default -> throw new InvalidLossConfigException("name", "no factory for '" + config.name() + "'");
        };
        if (config.params().containsKey("mochi.hardest")) {
            int hardest = intParam(config, "mochi.hardest", 16);
            int synthetic = intParam(config, "mochi.synthetic", 16);
            int querySynthetic = intParam(config, "mochi.querySynthetic", 0);
            long seed = intParam(config, "mochi.seed", 0);
            try {
                loss = new MochiLoss(loss, hardest, synthetic, querySynthetic, seed);
            } catch (IllegalArgumentException e) {
                throw new InvalidLossConfigException("mochi.*", e.getMessage());
            }
        }
        if (config.params().containsKey("rehearsal.weight")) {
            float weight = floatParam(config, "rehearsal.weight", 1f);
            float temperature = floatParam(config, "rehearsal.temperature", t);
            try {
                loss = new RehearsalSupConTerm(loss, weight, temperature);
            } catch (IllegalArgumentException e) {
                throw new InvalidLossConfigException("rehearsal.*", e.getMessage());
            }
        }
        if (config.name().equals("co2l") || config.params().containsKey("ird.weight")) {
            float weight = floatParam(config, "ird.weight", 1f);
            float temperature = floatParam(config, "ird.temperature", 0.2f);
            float teacherTemperature = floatParam(config, "ird.teacherTemperature", 0.01f);
            try {
                loss = new RelationDistillationLoss(loss, weight, temperature, teacherTemperature);
            } catch (IllegalArgumentException e) {
                throw new InvalidLossConfigException("ird.*", e.getMessage());
            }
        }
        return loss;
    }

    private static int intParam(LossConfig config, String key, int defaultValue) {
        String text = config.params().get(key);
        if (text == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new InvalidLossConfigException(key, "not an integer: '" + text + "'");
        }
    }

    private static float floatParam(LossConfig config, String key, float defaultValue) {
        String text = config.params().get(key);
        return text == null ? defaultValue : LossConfig.parseFloat(key, text);
    }

    private static RehearsalSupConLoss.AnchorSet anchors(LossConfig config) {
        String value = config.params().getOrDefault("anchors", "rehearsal");
        try {
            return RehearsalSupConLoss.AnchorSet.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidLossConfigException("anchors", "expected 'rehearsal' or 'current', got '" + value + "'");
        }
    }
}
