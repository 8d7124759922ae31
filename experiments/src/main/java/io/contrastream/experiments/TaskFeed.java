package io.contrastream.experiments;

import io.contrastream.data.schedule.Task;
import java.util.Iterator;

/**
 * Where a {@link ContinualRun} gets the current task's training data: batches of raw samples with their augmented
 * views, in stream order, task after task.
 *
 * <p>{@link InMemoryTaskFeed} produces them in-process exactly as the producers would (TaskStream order, views
 * seeded by {@code ViewSeeds.derive(seed, sampleId, v, epoch)}). A Kafka-fed trainer implements this interface by
 * reading the views topic: group the {@code AugmentedView}s of one task into batches (all {@code V} views of each
 * sample), take the raw sample from view 0's original tensor (AugmentedView v2) for the replay buffer, and end the
 * iterator when the task's END control event is read. The run asks for task {@code t+1} only after task {@code t}'s
 * iterator is exhausted and evaluated.
 */
public interface TaskFeed extends AutoCloseable {

    /**
     * The batches of {@code task}; the iterator ends when the task ends.
     *
     * @param task the task to stream (the run passes the tasks of its schedule in order)
     */
    Iterator<FeedBatch> batches(Task task);

    /** Total current-task samples the feed will deliver for {@code task} (all epochs), or -1 when unknown. */
    default long expectedSamples(Task task) {
        return -1;
    }

    /** Releases resources (consumers); the default does nothing. */
    @Override
    default void close() {
    }
}
