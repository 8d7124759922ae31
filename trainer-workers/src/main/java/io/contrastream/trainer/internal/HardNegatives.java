package io.contrastream.trainer.internal;

import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.HardNegativeSet;
import io.contrastream.schemas.Tensor;
import io.contrastream.trainer.HardNegativeSource;
import io.contrastream.trainer.TrainerConfig;
import io.contrastream.trainer.engine.TrainBatch;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's hard-negative join (ANCE, Xiong et al. 2021, "Approximate Nearest Neighbor Negative Contrastive
 * Learning for Dense Text Retrieval"): the {@link HardNegativeIndex} of the newest mined candidates per anchor, fed
 * from a {@link HardNegativeSource}, and the {@link NegativeCache} of samples already trained, which turns candidate
 * ids into pixels. Every batch gets {@code M} negatives per row from {@link NegativeSelector}, or none when the
 * cache cannot supply {@code M} for every row (at the start of a run, until it has seen enough samples of other
 * labels). Replayed rows (appended by replay composition before this join) have no mined candidates here and get
 * {@code M} drawn negatives of another label.
 *
 * <p>Threads: {@link #refresh}, {@link #plan} and {@link #offer} run on the loop's thread; {@link #attach} runs in
 * the step on the compute thread and only reads the cache, which the loop writes ({@link #offer}) only after that
 * step has ended. The index is touched by the loop's thread only ({@link #plan} copies what the step needs).
 *
 * <p>Negatives depend on the cache and index state, neither of which is checkpointed: a resumed trainer starts with
 * an empty cache and re-reads the topic, so its batches are not bit-identical to the uninterrupted run's while hard
 * negatives are on. Which records are trained, and exactly once, is unchanged.
 */
public final class HardNegatives {
    private static final Logger LOG = LoggerFactory.getLogger(HardNegatives.class);
    /** Mixed into the trainer seed so negative draws are independent of other seeded choices. */
    private static final long SEED_SALT = 0x486172644e656731L;

    private final int m;
    private final HardNegativeSource source;
    private final HardNegativeIndex index;
    private final NegativeCache cache;
    private final int[] shape;
    private final int sampleSize;
    private final long baseSeed;
    private boolean warnedNotCached;

    /** What a step needs from the index, copied on the loop's thread: id and mined candidates of each sample. */
    public record Plan(List<String> ids, List<List<String>> mined) {
    }

    /** The batch as it will be trained, and how many of its negatives were mined and filled (0 and 0: none). */
    public record Attached(TrainBatch batch, int mined, int filled) {
    }

    private HardNegatives(TrainerConfig config, HardNegativeSource source) {
        this.m = config.hardNegatives();
        this.source = source;
        this.index = new HardNegativeIndex(config.runId());
        this.cache = new NegativeCache(config.negativeCacheSize());
        this.shape = config.encoder().inputShape();
        this.sampleSize = config.encoder().inputSize();
        this.baseSeed = config.seed() ^ SEED_SALT;
    }

    /** The join for {@code config}, empty when {@link TrainerConfig#hardNegatives()} is 0. */
    public static Optional<HardNegatives> of(TrainerConfig config, HardNegativeSource source) {
        return config.hardNegatives() > 0 ? Optional.of(new HardNegatives(config, source)) : Optional.empty();
    }

    /** Takes the sets that arrived since the last call into the index; never blocks. */
    public void refresh() {
        for (HardNegativeSet set : source.poll()) {
            index.accept(set);
        }
    }

    /** Copies, on the loop's thread, the ids of {@code samples} and their mined candidates for {@link #attach}. */
    public Plan plan(List<AssembledSample> samples) {
        List<String> ids = new ArrayList<>(samples.size());
        List<List<String>> mined = new ArrayList<>(samples.size());
        for (AssembledSample sample : samples) {
            ids.add(sample.sampleId());
            mined.add(index.candidates(sample.sampleId()));
        }
        return new Plan(ids, mined);
    }

    /** {@code batch} with {@code M} negatives per row (rows beyond the plan are replayed ones), or unchanged. */
    public Attached attach(TrainBatch batch, Plan plan, long step) {
        int n = batch.batchSize();
        List<String> ids = new ArrayList<>(plan.ids());
        List<List<String>> mined = new ArrayList<>(plan.mined());
        while (ids.size() < n) {
            ids.add(null);
            mined.add(List.of());
        }
        NegativeSelector.Selection selection = NegativeSelector.select(batch.labels().orElse(null), ids, mined,
                cache, m, sampleSize, baseSeed ^ (step * 0x9E3779B97F4A7C15L));
        if (!(selection instanceof NegativeSelector.Selection.Chosen chosen)) {
            LOG.debug("step {} trains without hard negatives: {}", step,
                    ((NegativeSelector.Selection.None) selection).reason());
            return new Attached(batch, 0, 0);
        }
        TrainBatch.Builder out = TrainBatch.builder().setViews(batch.views()).setBatchSize(n)
                .setSampleShape(batch.sampleShape()).setPixels(batch.pixels())
                .optNegatives(chosen.pixels(), m);
        batch.labels().ifPresent(out::optLabels);
        batch.rehearsalMask().ifPresent(out::optRehearsalMask);
        return new Attached(out.build(), chosen.mined(), chosen.filled());
    }

    /** Caches the raw sample (view 0's {@code original}, else view 0) of every trained labelled sample. */
    public void offer(List<AssembledSample> samples) {
        for (AssembledSample sample : samples) {
            long label = sample.label();
            if (label < 0) {
                if (!warnedNotCached) {
                    warnedNotCached = true;
                    LOG.warn("hard negatives are on but sample {} has no label, so it is not cached as a negative"
                            + " (negatives are chosen by label; warned once)", sample.sampleId());
                }
                continue;
            }
            AugmentedView view0 = sample.views().get(0).view();
            Tensor original = view0.getOriginal();
            // view 0 itself passed the trainer's view check; an original is checked as the replay buffer checks it
            Tensor tensor = original != null && Rehearsal.problem(original, shape).isEmpty() ? original
                    : view0.getTensor();
            float[] pixels = new float[sampleSize];
            tensor.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(pixels);
            cache.put(sample.sampleId(), label, pixels);
        }
    }

    /** One line for the log: index and cache sizes. */
    public String describe() {
        return index.anchors() + " anchors indexed (" + index.accepted() + " sets taken, " + index.stale()
                + " stale), " + cache.size() + " samples cached";
    }
}
