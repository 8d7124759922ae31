package io.contrastream.trainer.replay;

import io.contrastream.data.Image;
import io.contrastream.data.augment.AugmentationPipeline;
import io.contrastream.data.augment.ViewSeeds;
import io.contrastream.trainer.engine.TrainBatch;
import io.contrastream.model.replay.internal.SplitMix64;
import io.contrastream.model.replay.ReplayBuffer;
import io.contrastream.model.replay.ReplaySample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Mixes replayed samples into current-task batches (experience replay for rehearsal, as in Chaudhry et al. 2019,
 * "On Tiny Episodic Memories in Continual Learning": each step trains on the current batch plus a batch drawn from
 * the episodic memory).
 *
 * <p>For a current batch of {@code B} samples it draws {@code R = min(round(ratio * B), buffer.size())} distinct
 * samples from the buffer ({@code R = 0} when it is empty). Everything is a function of the {@code draw} counter
 * the caller passes (use the training step), so a restarted trainer recomposes the same batches:
 * <ul>
 *   <li>which samples: {@link ReplayBuffer#sample} with a {@code SplitMix64} seeded by
 *       {@code mix(baseSeed ^ mix(draw))};</li>
 *   <li>their views, augmented afresh from the raw sample: view {@code v} of sample {@code id} uses seed
 *       {@code ViewSeeds.derive(baseSeed, id, v, (int) (draw ^ (draw >>> 32)))}, so a sample replayed in two draws
 *       gets different views, and the same draw reproduces them bit for bit.</li>
 * </ul>
 * Use a {@code baseSeed} different from the producers' augmentation seed so replayed views are not copies of the
 * views the sample had when it was first streamed.
 */
public final class BatchComposer {
    /** Default replayed samples per current sample. */
    public static final double DEFAULT_REPLAY_RATIO = 0.5;

    private final AugmentationPipeline pipeline;
    private final int views;
    private final long baseSeed;
    private final double replayRatio;

    private BatchComposer(Builder b) {
        this.pipeline = b.pipeline;
        this.views = b.views;
        this.baseSeed = b.baseSeed;
        this.replayRatio = b.replayRatio;
    }

    /** Starts a builder: {@code setPipeline}, {@code setViews}, {@code setBaseSeed} required. */
    public static Builder builder() {
        return new Builder();
    }

    public int views() {
        return views;
    }

    public double replayRatio() {
        return replayRatio;
    }

    /** {@code R} for a current batch of {@code currentBatchSize}: {@code min(round(ratio * B), buffer.size())}. */
    public int replayCount(int currentBatchSize, ReplayBuffer buffer) {
        if (currentBatchSize < 0) {
            throw new IllegalArgumentException("currentBatchSize must be >= 0, got " + currentBatchSize);
        }
        return (int) Math.min(Math.round(replayRatio * currentBatchSize), buffer.size());
    }

    /** Current samples followed by {@code R} replayed ones, with the rehearsal mask. */
    public Composition compose(List<ReplaySample> current, ReplayBuffer buffer, long draw) {
        List<ReplaySample> replayed = drawReplay(current.size(), buffer, draw);
        List<ReplaySample> all = new ArrayList<>(current.size() + replayed.size());
        all.addAll(current);
        all.addAll(replayed);
        boolean[] mask = new boolean[all.size()];
        Arrays.fill(mask, current.size(), mask.length, true);
        return new Composition(all, mask, draw);
    }

    /**
     * Augments every sample of a composition into a {@link TrainBatch} ({@code V} views, view-major, labels, mask);
     * all samples, current and replayed, get views seeded by {@code (baseSeed, sampleId, v, draw)}.
     */
    public TrainBatch toTrainBatch(Composition composition) {
        List<ReplaySample> samples = composition.samples();
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("Cannot build a TrainBatch from an empty composition");
        }
        int[] shape = samples.get(0).image().shape();
        int n = samples.size();
        int size = shape[0] * shape[1] * shape[2];
        float[] pixels = new float[views * n * size];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            ReplaySample s = samples.get(i);
            requireShape(s, shape);
            labels[i] = s.label();
            placeViews(s, composition.draw(), pixels, n, i, size);
        }
        return TrainBatch.builder().setViews(views).setBatchSize(n).setSampleShape(shape).setPixels(pixels)
                .optLabels(labels).optRehearsalMask(composition.rehearsalMask().clone()).build();
    }

    /**
     * Appends replayed samples to a batch of already augmented current-task views (as read from the views topic):
     * the result has {@code N = B + R} samples, the current ones first in every view, their labels (when the
     * current batch has labels) and a rehearsal mask true for the last {@code R}.
     *
     * @throws IllegalArgumentException when the current batch has another view count or sample shape than the
     *                                  composer and buffer, or carries explicit negatives
     */
    public TrainBatch compose(TrainBatch current, ReplayBuffer buffer, long draw) {
        if (current.views() != views) {
            throw new IllegalArgumentException("Current batch has " + current.views() + " views but the composer makes "
                    + views + "; configure BatchComposer.setViews(" + current.views() + ")");
        }
        if (!Arrays.equals(current.sampleShape(), buffer.config().shape())) {
            throw new IllegalArgumentException("Current batch sample shape " + Arrays.toString(current.sampleShape())
                    + " differs from the replay buffer's " + Arrays.toString(buffer.config().shape()));
        }
        if (current.negativePixels().isPresent()) {
            throw new IllegalArgumentException("Current batch has explicit negatives; replay composition does not "
                    + "support them (replayed samples have none)");
        }
        int b = current.batchSize();
        List<ReplaySample> replayed = drawReplay(b, buffer, draw);
        int r = replayed.size();
        int n = b + r;
        int size = buffer.config().sampleSize();
        float[] pixels = new float[views * n * size];
        float[] src = current.pixels();
        for (int v = 0; v < views; v++) {
            System.arraycopy(src, v * b * size, pixels, v * n * size, b * size);
        }
        for (int j = 0; j < r; j++) {
            placeViews(replayed.get(j), draw, pixels, n, b + j, size);
        }
        boolean[] mask = new boolean[n];
        current.rehearsalMask().ifPresent(m -> System.arraycopy(m, 0, mask, 0, b));
        Arrays.fill(mask, b, n, true);
        TrainBatch.Builder out = TrainBatch.builder().setViews(views).setBatchSize(n)
                .setSampleShape(current.sampleShape()).setPixels(pixels).optRehearsalMask(mask);
        current.labels().ifPresent(l -> {
            long[] labels = Arrays.copyOf(l, n);
            for (int j = 0; j < r; j++) {
                labels[b + j] = replayed.get(j).label();
            }
            out.optLabels(labels);
        });
        return out.build();
    }

    /**
     * The augmentation hook: {@code V} fresh views of one (replayed) sample, {@code V * C*H*W} values, view 0 first.
     */
    public float[] freshViews(ReplaySample sample, long draw) {
        int size = sample.image().size();
        float[] out = new float[views * size];
        placeViews(sample, draw, out, 1, 0, size);
        return out;
    }

    /** The seed of view {@code viewIndex} of {@code sampleId} in {@code draw}. */
    public long viewSeed(String sampleId, int viewIndex, long draw) {
        return ViewSeeds.derive(baseSeed, sampleId, viewIndex, (int) (draw ^ (draw >>> 32)));
    }

    private void placeViews(ReplaySample s, long draw, float[] dst, int n, int index, int size) {
        for (int v = 0; v < views; v++) {
            Image view = pipeline.apply(s.image(), viewSeed(s.sampleId(), v, draw));
            System.arraycopy(view.pixels(), 0, dst, (v * n + index) * size, size);
        }
    }

    private List<ReplaySample> drawReplay(int currentBatchSize, ReplayBuffer buffer, long draw) {
        int r = replayCount(currentBatchSize, buffer);
        if (r == 0) {
            return List.of();
        }
        return buffer.sample(r, new SplitMix64(SplitMix64.mix(baseSeed ^ SplitMix64.mix(draw))));
    }

    private static void requireShape(ReplaySample s, int[] shape) {
        if (!Arrays.equals(s.image().shape(), shape)) {
            throw new IllegalArgumentException("Sample " + s.sampleId() + " has shape "
                    + Arrays.toString(s.image().shape()) + ", expected " + Arrays.toString(shape)
                    + " like the first sample of the composition");
        }
    }

    /** Builder: {@code setX} required, {@code optX} optional. */
    public static final class Builder {
        private AugmentationPipeline pipeline;
        private int views;
        private long baseSeed;
        private boolean baseSeedSet;
        private double replayRatio = DEFAULT_REPLAY_RATIO;

        private Builder() {
        }

        /** The recipe for fresh views of replayed samples. */
        public Builder setPipeline(AugmentationPipeline pipeline) {
            this.pipeline = pipeline;
            return this;
        }

        /** Views per sample {@code V}, at least 1. */
        public Builder setViews(int views) {
            this.views = views;
            return this;
        }

        /** Base seed of replay draws and fresh views. */
        public Builder setBaseSeed(long baseSeed) {
            this.baseSeed = baseSeed;
            this.baseSeedSet = true;
            return this;
        }

        /** Replayed samples per current sample, finite and >= 0 (default 0.5). */
        public Builder optReplayRatio(double replayRatio) {
            this.replayRatio = replayRatio;
            return this;
        }

        /** Validates; errors name the setting. */
        public BatchComposer build() {
            if (pipeline == null) {
                throw new IllegalArgumentException("BatchComposer.pipeline is required (setPipeline)");
            }
            if (views < 1) {
                throw new IllegalArgumentException("BatchComposer.views must be >= 1 (setViews), got " + views);
            }
            if (!baseSeedSet) {
                throw new IllegalArgumentException("BatchComposer.baseSeed is required (setBaseSeed)");
            }
            if (!(replayRatio >= 0) || Double.isInfinite(replayRatio)) {
                throw new IllegalArgumentException("BatchComposer.replayRatio must be finite and >= 0, got "
                        + replayRatio);
            }
            return new BatchComposer(this);
        }
    }
}
