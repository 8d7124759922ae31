package io.contrastream.data;

/**
 * One labelled sample of a {@link Dataset}.
 *
 * @param index    position in its dataset split
 * @param sampleId stable id such as {@code fashion-mnist/train/000123}
 * @param label    class in [0, numClasses)
 * @param image    the pixels
 */
public record Example(int index, String sampleId, int label, Image image) {

    /** Validates the fields. */
    public Example {
        if (index < 0) {
            throw new IllegalArgumentException("Example index must be >= 0, got " + index);
        }
        if (sampleId == null || sampleId.isBlank()) {
            throw new IllegalArgumentException("Example sampleId must not be blank (index " + index + ")");
        }
        if (label < 0) {
            throw new IllegalArgumentException("Example label must be >= 0, got " + label + " for " + sampleId);
        }
        if (image == null) {
            throw new IllegalArgumentException("Example image must not be null for " + sampleId);
        }
    }
}
