package io.contrastream.eval;

import io.contrastream.schemas.MetricRecord;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The key of a metric record on the metrics topic: {@code run/step/metric[label=value,...]/split}, labels sorted by
 * name and omitted with their brackets when there are none (e.g. {@code run-7/400/recall@1/test},
 * {@code run-7/400/cl-accuracy[task=1]/test}). The key names one value of one checkpoint, so a re-evaluation
 * publishes the same key and replaces the value in every table instead of adding a second one.
 *
 * <p>Characters with a meaning in the key ({@code % / [ ] = ,}) are percent-encoded inside each component, so run
 * ids and label values may contain them.
 */
public final class MetricKeys {

    private MetricKeys() {
    }

    /** The key of {@code record}. */
    public static String of(MetricRecord record) {
        return of(record.getRunId(), record.getStep(), record.getMetric(), record.getLabels(), record.getSplit());
    }

    /** The key of one value; {@code labels} may be in any order. */
    public static String of(String runId, long step, String metric, Map<String, String> labels, String split) {
        StringBuilder key = new StringBuilder(runPrefix(runId)).append(step).append('/').append(escape(metric));
        if (!labels.isEmpty()) {
            StringJoiner joined = new StringJoiner(",", "[", "]");
            new TreeMap<>(labels).forEach((name, value) -> joined.add(escape(name) + "=" + escape(value)));
            key.append(joined);
        }
        return key.append('/').append(escape(split)).toString();
    }

    /** The prefix every key of {@code runId} starts with ({@code run/}), for prefix scans of a run. */
    public static String runPrefix(String runId) {
        return escape(runId) + "/";
    }

    /** The metric name with its labels as in a key, {@code metric[label=value,...]}: one series of a run. */
    public static String series(String metric, Map<String, String> labels) {
        String key = of("r", 0, metric, labels, "s");
        return key.substring(4, key.length() - 2);
    }

    static String escape(String component) {
        StringBuilder out = new StringBuilder(component.length());
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            switch (c) {
                case '%' -> out.append("%25");
                case '/' -> out.append("%2F");
                case '[' -> out.append("%5B");
                case ']' -> out.append("%5D");
                case '=' -> out.append("%3D");
                case ',' -> out.append("%2C");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
