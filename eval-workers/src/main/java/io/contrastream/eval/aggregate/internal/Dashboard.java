package io.contrastream.eval.aggregate.internal;

import io.contrastream.eval.aggregate.Leaderboard;
import io.contrastream.eval.aggregate.MetricsQueries;
import io.contrastream.eval.aggregate.RunSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The HTML dashboard: per run, one inline-SVG line plot per metric series (test split, value over step), the
 * accuracy matrix, and the leaderboards, one table per series (exact values and estimates on sampled queries
 * apart). Rendered on the server; no scripts, no external resources; refreshes itself every 15 s.
 */
final class Dashboard {

    private static final int W = 320;
    private static final int H = 160;
    private static final int PAD = 34;
    private static final int MAX_CHARTS = 48;

    private Dashboard() {
    }

    static String render(MetricsQueries queries) {
        StringBuilder html = new StringBuilder("""
                <!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="15">
                <title>contrastream metrics</title><style>
                body{font-family:sans-serif;margin:1em;color:#222}h2{border-bottom:1px solid #ccc}
                .charts{display:flex;flex-wrap:wrap;gap:8px}figure{margin:0;border:1px solid #ddd;padding:4px}
                figcaption{font-size:12px;font-family:monospace}table{border-collapse:collapse;font-size:13px}
                td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}.fail{color:#b00}
                </style></head><body><h1>contrastream metrics</h1>
                """);
        List<RunSummary> runs = queries.runs();
        if (runs.isEmpty()) {
            html.append("<p>No metrics yet.</p>");
        }
        for (String series : queries.leaderboardSeries()) {
            queries.leaderboard(series).ifPresent(boards -> leaderboard(html, series, boards));
        }
        for (RunSummary run : runs) {
            html.append("<h2>run ").append(esc(run.runId())).append("</h2><p>").append(run.values())
                    .append(" values, latest step ").append(run.latestStep());
            if (run.failed() > 0) {
                html.append(", <span class=\"fail\">").append(run.failed()).append(" failed evaluations</span>");
            }
            html.append("</p>");
            queries.accuracyMatrix(run.runId()).ifPresent(m -> matrix(html, m));
            Map<String, TreeMap<Long, Double>> series = new TreeMap<>();
            for (MetricsQueries.MetricView v : queries.metrics(run.runId())) {
                if ("OK".equals(v.status()) && "test".equals(v.split()) && Double.isFinite(v.value())) {
                    series.computeIfAbsent(v.series(), s -> new TreeMap<>()).put(v.step(), v.value());
                }
            }
            html.append("<div class=\"charts\">");
            int charts = 0;
            for (Map.Entry<String, TreeMap<Long, Double>> s : series.entrySet()) {
                if (charts++ >= MAX_CHARTS) {
                    html.append("<p>(").append(series.size() - MAX_CHARTS).append(" more series via /runs/")
                            .append(esc(run.runId())).append("/metrics)</p>");
                    break;
                }
                html.append("<figure>").append(plot(s.getValue())).append("<figcaption>").append(esc(s.getKey()))
                        .append("</figcaption></figure>");
            }
            html.append("</div>");
        }
        return html.append("</body></html>").toString();
    }

    /** An SVG line plot of value over step, axes labelled with min/max. */
    static String plot(TreeMap<Long, Double> points) {
        long x0 = points.firstKey();
        long x1 = points.lastKey();
        double y0 = points.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double y1 = points.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        if (y1 - y0 < 1e-12) {
            y0 -= 0.5;
            y1 += 0.5;
        }
        List<String> xy = new ArrayList<>();
        for (Map.Entry<Long, Double> p : points.entrySet()) {
            double x = x1 == x0 ? W / 2.0 : PAD + (W - PAD - 6) * (double) (p.getKey() - x0) / (x1 - x0);
            double y = H - 18 - (H - 26) * (p.getValue() - y0) / (y1 - y0);
            xy.add(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
        }
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">",
                W, H, W, H));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>",
                PAD, H - 18, W - 4, H - 18));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"8\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>",
                PAD, PAD, H - 18));
        svg.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"14\" font-size=\"10\">%.3g</text>", y1));
        svg.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"%d\" font-size=\"10\">%.3g</text>", H - 20, y0));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">%d</text>", PAD, H - 4,
                x0));
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">step %d</text>", W - 4, H - 4, x1));
        svg.append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"")
                .append(String.join(" ", xy)).append("\"/>");
        for (String p : xy) {
            String[] c = p.split(",");
            svg.append("<circle cx=\"").append(c[0]).append("\" cy=\"").append(c[1])
                    .append("\" r=\"2\" fill=\"#1f77b4\"/>");
        }
        return svg.append("</svg>").toString();
    }

    private static void matrix(StringBuilder html, MetricsQueries.AccuracyMatrixView m) {
        html.append("<table><tr><th>after task \\ on task</th>");
        for (int j = 0; j < m.tasks(); j++) {
            html.append("<th>").append(j).append("</th>");
        }
        html.append("</tr>");
        for (int i = 0; i < m.rows().size(); i++) {
            html.append("<tr><th>").append(i).append("</th>");
            for (Double v : m.rows().get(i)) {
                html.append("<td>").append(v == null || v.isNaN() ? "" : String.format(Locale.ROOT, "%.4f", v))
                        .append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</table><p>average accuracy ").append(fmt(m.averageAccuracy())).append(", forgetting ")
                .append(fmt(m.forgetting())).append(", backward transfer ").append(fmt(m.backwardTransfer()))
                .append("</p>");
    }

    private static void leaderboard(StringBuilder html, String series, List<Leaderboard> boards) {
        html.append("<h2>best checkpoints by ").append(esc(series)).append(boards.get(0).sampled()
                        ? " (estimates on sampled queries)" : " (exact)").append("</h2><table><tr><th>run</th>")
                .append("<th>step</th><th>task</th><th>value</th></tr>");
        for (Leaderboard b : boards) {
            Leaderboard.Entry e = b.best().orElseThrow();
            html.append("<tr><td>").append(esc(b.runId())).append("</td><td>").append(e.step()).append("</td><td>")
                    .append(e.taskId()).append("</td><td>").append(String.format(Locale.ROOT, "%.4f", e.value()))
                    .append("</td></tr>");
        }
        html.append("</table>");
    }

    private static String fmt(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
