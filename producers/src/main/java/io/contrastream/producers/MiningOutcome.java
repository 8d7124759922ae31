package io.contrastream.producers;

import java.time.Duration;
import java.util.Locale;

/** What the {@link HardNegativeMiner} did with one checkpoint event. */
public sealed interface MiningOutcome {

    /** The run of the checkpoint ("?" when the event could not be decoded). */
    String runId();

    /** The training step of the checkpoint (-1 when the event could not be decoded). */
    long step();

    /**
     * Mined and published.
     *
     * @param runId     run
     * @param step      step (the sets' {@code minedWithStep})
     * @param anchors   sets published, one per pool anchor
     * @param negatives candidates per anchor asked for
     * @param wallTime  from receiving the event to the flushed sets
     */
    record Mined(String runId, long step, int anchors, int negatives, Duration wallTime) implements MiningOutcome {
        /** One line: run, step, anchors, M and seconds. */
        public String summaryLine() {
            return String.format(Locale.ROOT, "run %s step %d: %d hard-negative sets of %d published in %.2f s",
                    runId, step, anchors, negatives, wallTime.toNanos() / 1e9);
        }
    }

    /**
     * Refused (bad checkpoint); a dead letter was published.
     *
     * @param runId  run
     * @param step   step
     * @param reason lower-case hyphenated reason, e.g. {@code hash-mismatch}
     * @param detail what was wrong, naming the checkpoint file
     */
    record Failed(String runId, long step, String reason, String detail) implements MiningOutcome {
    }

    /**
     * Not mined on purpose (not newer than the last mined step, or a newer one was queued).
     *
     * @param runId run
     * @param step  step
     * @param why   why
     */
    record Skipped(String runId, long step, String why) implements MiningOutcome {
    }
}
