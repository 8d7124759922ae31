package io.contrastream.model.replay;

import io.contrastream.data.Image;

/**
 * A raw (not augmented) sample as offered to and drawn from a {@link ReplayBuffer}.
 *
 * <p>Samples drawn from the buffer own a fresh copy of the pixels; a sample offered to the buffer is copied into a
 * slot, so the caller keeps ownership of its image.
 *
 * @param sampleId stable id of the sample (seeds its augmentations, see {@link BatchComposer})
 * @param label    class label
 * @param taskId   task the sample was seen in
 * @param image    pixels, CHW order
 */
public record ReplaySample(String sampleId, int label, int taskId, Image image) {

    /** Requires an id and an image. */
    public ReplaySample {
        if (sampleId == null) {
            throw new IllegalArgumentException("ReplaySample.sampleId must not be null");
        }
        if (image == null) {
            throw new IllegalArgumentException("ReplaySample.image must not be null (sample " + sampleId + ")");
        }
    }
}
