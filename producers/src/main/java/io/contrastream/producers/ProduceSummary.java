package io.contrastream.producers;

import java.time.Duration;

/**
 * What a {@link ViewProducer} or {@link SampleIngestor} run did.
 *
 * @param runId          the run id
 * @param outcome        whether it completed or was stopped
 * @param samplesSent    samples whose records were all sent (per epoch counted again)
 * @param recordsSent    records sent: views for the producer, samples for ingestion
 * @param tasksCompleted tasks whose END event was reached (0 for ingestion)
 * @param elapsed        wall time from the first to the last send, flush included
 */
public record ProduceSummary(String runId, Outcome outcome, long samplesSent, long recordsSent, int tasksCompleted,
                             Duration elapsed) {

    /** How a run ended. */
    public enum Outcome {
        /** Everything planned was sent and flushed. */
        COMPLETED,
        /** {@code stop()} was called (e.g. Ctrl-C); what was sent was flushed. */
        STOPPED
    }

    /** Records per second over the run. */
    public double recordsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : recordsSent / s;
    }
}
