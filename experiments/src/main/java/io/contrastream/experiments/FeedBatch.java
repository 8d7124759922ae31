package io.contrastream.experiments;

import io.contrastream.model.replay.ReplaySample;
import io.contrastream.trainer.engine.TrainBatch;
import java.util.List;

/**
 * One batch of current-task training data from a {@link TaskFeed}.
 *
 * @param epoch   epoch of the batch's first sample within its task, 0-based
 * @param samples the raw (not augmented) samples, offered to the replay buffer after the step
 * @param views   their {@code V} augmented views, view-major, with labels: sample {@code i} of {@code views} is
 *                {@code samples.get(i)}
 */
public record FeedBatch(int epoch, List<ReplaySample> samples, TrainBatch views) {

    /** Checks that the views cover the samples and carry labels. */
    public FeedBatch {
        samples = List.copyOf(samples);
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("FeedBatch.samples must not be empty");
        }
        if (views.batchSize() != samples.size()) {
            throw new IllegalArgumentException("FeedBatch.views has batch size " + views.batchSize() + " but there are "
                    + samples.size() + " samples");
        }
        long[] labels = views.labels().orElseThrow(() -> new IllegalArgumentException(
                "FeedBatch.views must carry labels (class-incremental training and evaluation need them)"));
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != samples.get(i).label()) {
                throw new IllegalArgumentException("FeedBatch.views label " + labels[i] + " at index " + i
                        + " differs from sample " + samples.get(i).sampleId() + "'s label " + samples.get(i).label());
            }
        }
    }
}
