package io.contrastream.producers;

/** Receives progress of a {@link ViewProducer} or {@link SampleIngestor}, a few times a second, on the sending thread. */
@FunctionalInterface
public interface ProgressListener {

    /** Ignores progress. */
    ProgressListener NONE = p -> { };

    /** Called with the current progress; must return quickly. */
    void onProgress(Progress progress);

    /**
     * A progress snapshot.
     *
     * @param taskId        current task (0-based; 0 for ingestion)
     * @param taskCount     tasks in the schedule (1 for ingestion)
     * @param epoch         current epoch (0-based)
     * @param sent          records sent so far (views for the producer, samples for ingestion)
     * @param planned       records this instance will send in total
     * @param perSecond     average send rate since the start, records/s
     */
    record Progress(int taskId, int taskCount, int epoch, long sent, long planned, double perSecond) {
    }
}
