package io.contrastream.trainer.engine;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One training batch of {@code V} views of {@code B} samples, as flat float arrays ready to be copied into one
 * NDArray without per-element boxing.
 *
 * <p>{@code pixels} has {@code V*B*C*H*W} values in view-major order: all of view 0 (samples 0..B-1, each
 * {@code C*H*W} values in CHW order), then view 1, and so on, so it maps directly onto the loss layout (row
 * {@code v*B + i}). Optional extras: {@code labels} ({@code long[B]}), {@code negativePixels} ({@code B*M} explicit
 * negative samples, {@code M} per sample, sample-major, each {@code C*H*W}), {@code rehearsalMask}
 * ({@code boolean[B]}, true for replayed samples).
 *
 * <p>The arrays are not copied: the batch takes ownership, callers must not modify them afterwards.
 */
public final class TrainBatch {
    private final int views;
    private final int batchSize;
    private final int[] sampleShape;
    private final float[] pixels;
    private final long[] labels;
    private final float[] negativePixels;
    private final int negativesPerSample;
    private final boolean[] rehearsalMask;

    private TrainBatch(Builder b) {
        this.views = b.views;
        this.batchSize = b.batchSize;
        this.sampleShape = b.sampleShape.clone();
        this.pixels = b.pixels;
        this.labels = b.labels;
        this.negativePixels = b.negativePixels;
        this.negativesPerSample = b.negativesPerSample;
        this.rehearsalMask = b.rehearsalMask;
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    public int views() {
        return views;
    }

    public int batchSize() {
        return batchSize;
    }

    /** {@code {C, H, W}} of one sample (copy). */
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    /** The view-major pixel array (not copied). */
    public float[] pixels() {
        return pixels;
    }

    public Optional<long[]> labels() {
        return Optional.ofNullable(labels);
    }

    /** Explicit negatives' pixels (not copied), {@code B*M*C*H*W} values. */
    public Optional<float[]> negativePixels() {
        return Optional.ofNullable(negativePixels);
    }

    /** {@code M}, 0 when there are no explicit negatives. */
    public int negativesPerSample() {
        return negativesPerSample;
    }

    public Optional<boolean[]> rehearsalMask() {
        return Optional.ofNullable(rehearsalMask);
    }

    /** Builder: {@code setX} required, {@code optX} optional. */
    public static final class Builder {
        private int views;
        private int batchSize;
        private int[] sampleShape;
        private float[] pixels;
        private long[] labels;
        private float[] negativePixels;
        private int negativesPerSample;
        private boolean[] rehearsalMask;

        private Builder() {
        }

        public Builder setViews(int views) {
            this.views = views;
            return this;
        }

        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder setSampleShape(int... sampleShape) {
            this.sampleShape = sampleShape.clone();
            return this;
        }

        public Builder setPixels(float[] pixels) {
            this.pixels = pixels;
            return this;
        }

        public Builder optLabels(long[] labels) {
            this.labels = labels;
            return this;
        }

        public Builder optNegatives(float[] negativePixels, int negativesPerSample) {
            this.negativePixels = negativePixels;
            this.negativesPerSample = negativesPerSample;
            return this;
        }

        public Builder optRehearsalMask(boolean[] rehearsalMask) {
            this.rehearsalMask = rehearsalMask;
            return this;
        }

        /** Validates sizes against each other; errors name the field and the expected size. */
        public TrainBatch build() {
            Objects.requireNonNull(pixels, "TrainBatch.pixels is required");
            if (sampleShape == null || sampleShape.length != 3 || Arrays.stream(sampleShape).anyMatch(d -> d <= 0)) {
                throw new IllegalArgumentException("TrainBatch.sampleShape must be {C, H, W} with positive values, got "
                        + Arrays.toString(sampleShape));
            }
            if (views < 1 || batchSize < 1) {
                throw new IllegalArgumentException("TrainBatch.views=" + views + " and batchSize=" + batchSize
                        + " must be >= 1");
            }
            long sampleSize = (long) sampleShape[0] * sampleShape[1] * sampleShape[2];
            long expected = views * (long) batchSize * sampleSize;
            if (pixels.length != expected) {
                throw new IllegalArgumentException("TrainBatch.pixels has " + pixels.length + " values, expected "
                        + expected + " = views " + views + " x batchSize " + batchSize + " x "
                        + Arrays.toString(sampleShape));
            }
            if (labels != null && labels.length != batchSize) {
                throw new IllegalArgumentException("TrainBatch.labels has " + labels.length + " entries, expected "
                        + batchSize);
            }
            if (rehearsalMask != null && rehearsalMask.length != batchSize) {
                throw new IllegalArgumentException("TrainBatch.rehearsalMask has " + rehearsalMask.length
                        + " entries, expected " + batchSize);
            }
            if (negativePixels != null) {
                long expectedNegatives = (long) batchSize * negativesPerSample * sampleSize;
                if (negativesPerSample < 1 || negativePixels.length != expectedNegatives) {
                    throw new IllegalArgumentException("TrainBatch.negativePixels has " + negativePixels.length
                            + " values, expected " + expectedNegatives + " = batchSize " + batchSize + " x "
                            + negativesPerSample + " negatives x " + Arrays.toString(sampleShape));
                }
            }
            return new TrainBatch(this);
        }
    }
}
