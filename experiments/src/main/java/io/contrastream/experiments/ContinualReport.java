package io.contrastream.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.contrastream.data.schedule.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a {@link ContinualResult} as {@code <name>.json} (everything) and two CSV files:
 * {@code <name>-matrix.csv} (one row per phase, one column per evaluation task, empty cells for untrained tasks) and
 * {@code <name>-summary.csv} ({@code section,key,value,note}: the metrics with their definitions and references,
 * the dataset sizes and the config).
 */
public final class ContinualReport {

    /** A summary metric's definition and where it comes from. */
    public record Definition(String formula, String reference) {
    }

    /** Definitions of the summary metrics, by the keys of {@link ContinualResult#summary()}. */
    public static final Map<String, Definition> DEFINITIONS = definitions();

    /** File names written by {@link #write}. */
    public record Written(Path json, Path matrixCsv, Path summaryCsv) {
    }

    private ContinualReport() {
    }

    private static Map<String, Definition> definitions() {
        Map<String, Definition> m = new LinkedHashMap<>();
        m.put("averageAccuracy", new Definition("A_T = 1/(T+1) * sum_{j<=T} R[T][j]",
                "Chaudhry, Dokania, Ajanthan, Torr 2018, Riemannian Walk (ECCV), Eq. 6"));
        m.put("forgetting", new Definition("F_T = 1/T * sum_{j<T} (max_{l<T} R[l][j] - R[T][j])",
                "Chaudhry et al. 2018, Riemannian Walk (ECCV), Eq. 7-8"));
        m.put("backwardTransfer", new Definition("BWT = 1/T * sum_{j<T} (R[T][j] - R[j][j])",
                "Lopez-Paz and Ranzato 2017, Gradient Episodic Memory (NeurIPS), Sec. 3"));
        m.put("forwardTransfer", new Definition("FWT = 1/T * sum_{1<=j<=T} (P[j-1][j] - b_j), P and b within-task"
                + " NME probes after training / at random init", "Lopez-Paz and Ranzato 2017, Sec. 3"));
        m.put("learningAccuracy", new Definition("LA = 1/(T+1) * sum_{j<=T} R[j][j]",
                "Riemer et al. 2019, Learning to Learn without Forgetting (ICLR)"));
        return Map.copyOf(m);
    }

    /** Everything in the result as ordered maps and lists (NaN as null), the JSON document. */
    public static Map<String, Object> toJsonTree(ContinualResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", r.config().toMap());
        Map<String, Object> sizes = new LinkedHashMap<>();
        sizes.put("dataset", r.sizes().dataset());
        sizes.put("train", r.sizes().train());
        sizes.put("test", r.sizes().test());
        sizes.put("trainPerClass", r.sizes().trainPerClass());
        sizes.put("testPerClass", r.sizes().testPerClass());
        m.put("datasetSizes", sizes);
        m.put("evaluationTasks", taskNames(r));
        m.put("accuracyMatrix", nullable(r.accuracy()));
        m.put("probeMatrix", nullable(r.probe()));
        m.put("randomInitProbe", nullable(new double[][] {r.randomInit()}).get(0));
        Map<String, Object> summary = new LinkedHashMap<>();
        r.summary().forEach((k, v) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("value", v);
            entry.put("definition", DEFINITIONS.get(k).formula());
            entry.put("reference", DEFINITIONS.get(k).reference());
            summary.put(k, entry);
        });
        m.put("summary", summary);
        m.put("steps", r.steps());
        m.put("trainSeconds", r.trainSeconds());
        m.put("evalSeconds", r.evalSeconds());
        m.put("bufferByClass", r.bufferByClass().entrySet().stream()
                .collect(Collectors.toMap(e -> Integer.toString(e.getKey()), Map.Entry::getValue, (a, b) -> a,
                        LinkedHashMap::new)));
        return m;
    }

    /** The matrix CSV text. */
    public static String matrixCsv(ContinualResult r) {
        StringBuilder sb = new StringBuilder("after_phase");
        for (String name : taskNames(r)) {
            sb.append(",task ").append(name.replace(',', ' '));
        }
        sb.append('\n');
        double[][] a = r.accuracy();
        for (int i = 0; i < a.length; i++) {
            sb.append(i);
            for (double v : a[i]) {
                sb.append(',').append(Double.isNaN(v) ? "" : format(v));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The summary CSV text: metrics, dataset sizes, config. */
    public static String summaryCsv(ContinualResult r) {
        StringBuilder sb = new StringBuilder("section,key,value,note\n");
        r.summary().forEach((k, v) -> sb.append("metric,").append(k).append(',').append(format(v)).append(',')
                .append(csv(DEFINITIONS.get(k).formula() + " [" + DEFINITIONS.get(k).reference() + "]"))
                .append('\n'));
        sb.append("data,dataset,").append(csv(r.sizes().dataset())).append(",\n");
        sb.append("data,train,").append(r.sizes().train()).append(",samples\n");
        sb.append("data,test,").append(r.sizes().test()).append(",samples\n");
        sb.append("data,trainPerClass,").append(csv(Arrays.toString(r.sizes().trainPerClass()))).append(",\n");
        sb.append("data,testPerClass,").append(csv(Arrays.toString(r.sizes().testPerClass()))).append(",\n");
        flatten("", r.config().toMap()).forEach((k, v) -> sb.append("config,").append(k).append(',')
                .append(csv(String.valueOf(v))).append(",\n"));
        sb.append("run,steps,").append(r.steps()).append(",\n");
        sb.append("run,trainSeconds,").append(format(r.trainSeconds())).append(",\n");
        sb.append("run,evalSeconds,").append(format(r.evalSeconds())).append(",\n");
        return sb.toString();
    }

    /**
     * Writes {@code <name>.json}, {@code <name>-matrix.csv} and {@code <name>-summary.csv} into {@code dir}
     * (created if needed).
     *
     * @throws UncheckedIOException naming the file that could not be written
     */
    public static Written write(ContinualResult r, Path dir, String name) {
        Path json = dir.resolve(name + ".json");
        Path matrix = dir.resolve(name + "-matrix.csv");
        Path summary = dir.resolve(name + "-summary.csv");
        Path current = dir;
        try {
            Files.createDirectories(dir);
            current = json;
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), toJsonTree(r));
            current = matrix;
            Files.writeString(matrix, matrixCsv(r), StandardCharsets.UTF_8);
            current = summary;
            Files.writeString(summary, summaryCsv(r), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write continual report file " + current
                    + "; check that the output directory is writable", e);
        }
        return new Written(json, matrix, summary);
    }

    /** Task names such as {@code 0,1}. */
    static List<String> taskNames(ContinualResult r) {
        List<String> out = new ArrayList<>();
        for (Task t : r.evaluation().tasks()) {
            out.add(t.classes().stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        return out;
    }

    private static List<List<Double>> nullable(double[][] a) {
        List<List<Double>> out = new ArrayList<>();
        for (double[] row : a) {
            List<Double> r = new ArrayList<>();
            for (double v : row) {
                r.add(Double.isNaN(v) ? null : v);
            }
            out.add(r);
        }
        return out;
    }

    private static Map<String, Object> flatten(String prefix, Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (v instanceof Map<?, ?> inner) {
                Map<String, Object> typed = new LinkedHashMap<>();
                inner.forEach((ik, iv) -> typed.put(String.valueOf(ik), iv));
                out.putAll(flatten(prefix + k + ".", typed));
            } else {
                out.put(prefix + k, v);
            }
        });
        return out;
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
