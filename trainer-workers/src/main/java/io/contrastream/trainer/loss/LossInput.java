package io.contrastream.trainer.loss;

import ai.djl.ndarray.NDArray;
import java.util.Objects;
import java.util.Optional;

/**
 * Input to a {@link ContrastiveLoss}.
 *
 * <p><b>Layout (view-major):</b> {@code projections} has shape {@code [V*N, D]}; row {@code v*N + i} is view
 * {@code v} of sample {@code i} ({@code 0 <= v < V}, {@code 0 <= i < N}). Rows with the same {@code i} are views of
 * the same sample. Per-sample extras are indexed by {@code i}:
 * <ul>
 *   <li>{@code labels}: {@code long[N]} class labels (SupCon);</li>
 *   <li>{@code negatives}: {@code [N, M, D]} explicit negatives of sample {@code i}, shared by all its views;</li>
 *   <li>{@code rehearsalMask}: {@code boolean[N]}, true for samples drawn from the rehearsal (replay) buffer;</li>
 *   <li>{@code teacherProjections}: {@code [V*N, D']} projections of the same rows by a frozen previous encoder
 *       (Co2L distillation), same layout.</li>
 * </ul>
 * Losses L2-normalise projections, negatives and teacher projections themselves.
 */
public final class LossInput {
    private final NDArray projections;
    private final int views;
    private final long[] labels;
    private final NDArray negatives;
    private final boolean[] rehearsalMask;
    private final NDArray teacherProjections;

    private LossInput(Builder b) {
        this.projections = b.projections;
        this.views = b.views;
        this.labels = b.labels;
        this.negatives = b.negatives;
        this.rehearsalMask = b.rehearsalMask;
        this.teacherProjections = b.teacherProjections;
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this input's values. */
    public Builder toBuilder() {
        Builder b = new Builder().setProjections(projections).setViews(views);
        b.labels = labels;
        b.negatives = negatives;
        b.rehearsalMask = rehearsalMask;
        b.teacherProjections = teacherProjections;
        return b;
    }

    /** {@code [V*N, D]}, view-major. */
    public NDArray projections() {
        return projections;
    }

    /** Number of views V. */
    public int views() {
        return views;
    }

    /** Number of samples N. */
    public int samples() {
        return Math.toIntExact(projections.getShape().get(0) / views);
    }

    /** Per-sample labels ({@code long[N]}), if given. */
    public Optional<long[]> labels() {
        return Optional.ofNullable(labels).map(long[]::clone);
    }

    /** Explicit negatives {@code [N, M, D]}, if given. */
    public Optional<NDArray> negatives() {
        return Optional.ofNullable(negatives);
    }

    /** Per-sample rehearsal flags ({@code boolean[N]}), if given. */
    public Optional<boolean[]> rehearsalMask() {
        return Optional.ofNullable(rehearsalMask).map(boolean[]::clone);
    }

    /** Previous encoder's projections {@code [V*N, D']}, if given. */
    public Optional<NDArray> teacherProjections() {
        return Optional.ofNullable(teacherProjections);
    }

    /** Builder: {@code setX} required, {@code optX} optional. */
    public static final class Builder {
        private NDArray projections;
        private int views;
        private long[] labels;
        private NDArray negatives;
        private boolean[] rehearsalMask;
        private NDArray teacherProjections;

        private Builder() {
        }

        public Builder setProjections(NDArray projections) {
            this.projections = projections;
            return this;
        }

        public Builder setViews(int views) {
            this.views = views;
            return this;
        }

        public Builder optLabels(long[] labels) {
            this.labels = labels == null ? null : labels.clone();
            return this;
        }

        public Builder optNegatives(NDArray negatives) {
            this.negatives = negatives;
            return this;
        }

        public Builder optRehearsalMask(boolean[] rehearsalMask) {
            this.rehearsalMask = rehearsalMask == null ? null : rehearsalMask.clone();
            return this;
        }

        public Builder optTeacherProjections(NDArray teacherProjections) {
            this.teacherProjections = teacherProjections;
            return this;
        }

        /** Validates shapes against each other and builds. */
        public LossInput build() {
            Objects.requireNonNull(projections, "LossInput.projections is required");
            if (projections.getShape().dimension() != 2) {
                throw new IllegalArgumentException("LossInput.projections must be [V*N, D], got "
                        + projections.getShape());
            }
            long rows = projections.getShape().get(0);
            if (views < 1 || rows % views != 0 || rows == 0) {
                throw new IllegalArgumentException("LossInput.views=" + views + " must be >= 1 and divide the "
                        + rows + " projection rows");
            }
            long n = rows / views;
            if (labels != null && labels.length != n) {
                throw new IllegalArgumentException("LossInput.labels has " + labels.length + " entries, expected one"
                        + " per sample (" + n + ")");
            }
            if (rehearsalMask != null && rehearsalMask.length != n) {
                throw new IllegalArgumentException("LossInput.rehearsalMask has " + rehearsalMask.length
                        + " entries, expected one per sample (" + n + ")");
            }
            if (negatives != null && (negatives.getShape().dimension() != 3 || negatives.getShape().get(0) != n
                    || negatives.getShape().get(2) != projections.getShape().get(1))) {
                throw new IllegalArgumentException("LossInput.negatives must be [N=" + n + ", M, D="
                        + projections.getShape().get(1) + "], got " + negatives.getShape());
            }
            if (teacherProjections != null && (teacherProjections.getShape().dimension() != 2
                    || teacherProjections.getShape().get(0) != rows)) {
                throw new IllegalArgumentException("LossInput.teacherProjections must have " + rows
                        + " rows in the same layout, got " + teacherProjections.getShape());
            }
            return new LossInput(this);
        }
    }
}
