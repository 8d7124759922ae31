package io.contrastream.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * The one printer of CLI output. Lines go to standard output; progress lines redraw in place on a terminal
 * and print at most every few seconds otherwise (logs, CI), so long work always shows it is alive.
 */
public final class Console {
    private final PrintWriter out;
    private final boolean interactive;
    private final long minIntervalNanos;
    private long lastProgress;
    private boolean progressOpen;

    public Console(PrintWriter out) {
        this(out, System.console() != null, Duration.ofSeconds(System.console() != null ? 0 : 5));
    }

    Console(PrintWriter out, boolean interactive, Duration minInterval) {
        this.out = out;
        this.interactive = interactive;
        this.minIntervalNanos = minInterval.toNanos();
    }

    /** Prints a line (ends any open progress line first). */
    public synchronized void line(String format, Object... args) {
        closeProgress();
        out.println(args.length == 0 ? format : String.format(Locale.ROOT, format, args));
        out.flush();
    }

    /** Shows a progress line; rate-limited when not on a terminal. */
    public synchronized void progress(String format, Object... args) {
        long now = System.nanoTime();
        if (lastProgress != 0 && now - lastProgress < Math.max(minIntervalNanos, 100_000_000L)) {
            return;
        }
        lastProgress = now;
        String text = String.format(Locale.ROOT, format, args);
        if (interactive) {
            out.print("\r" + text + "\u001b[K");
            progressOpen = true;
        } else {
            out.println(text);
        }
        out.flush();
    }

    /** A textual bar such as {@code [#####.....]  50.0%}. */
    public static String bar(long done, long total, int width) {
        double fraction = total <= 0 ? 0 : Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * width);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] "
                + String.format(Locale.ROOT, "%5.1f%%", fraction * 100);
    }

    private void closeProgress() {
        if (progressOpen) {
            out.println();
            progressOpen = false;
        }
    }
}
