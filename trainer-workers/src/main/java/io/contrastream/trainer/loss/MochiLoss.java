package io.contrastream.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.contrastream.trainer.loss.internal.Contrast;
import java.util.Random;

/**
 * MoCHi hard-negative mixing (Kalantidis, Sariyildiz, Pion, Weinzaepfel, Larlus 2020, "Hard Negative Mixing for
 * Contrastive Learning", NeurIPS, section 4) as a decorator: for each sample {@code i} the query is its view-0 row
 * {@code q_i}; its {@code hardest} most similar rows of other samples are the hard negatives {@code h_1..h_K}
 * (sorted by {@code q_i . h}). It synthesises
 * <ul>
 *   <li>{@code synthetic} points {@code normalize(alpha h_j + (1-alpha) h_k)}, {@code alpha ~ U(0,1)}, and</li>
 *   <li>{@code querySynthetic} points {@code normalize(beta q_i + (1-beta) h_j)}, {@code beta ~ U(0, 0.5)},</li>
 * </ul>
 * with {@code j, k} drawn uniformly from the hardest set, from a {@link Random} seeded at construction (so a run is
 * reproducible). Synthetic points carry no gradient, as in the paper, and are appended to
 * {@link LossInput#negatives()} before delegating to the wrapped loss (which must use explicit negatives: InfoNCE,
 * multi-view InfoNCE, DCL, SupCon, Mann-Whitney all do).
 */
public final class MochiLoss implements ContrastiveLoss {
    private final ContrastiveLoss base;
    private final int hardest;
    private final int synthetic;
    private final int querySynthetic;
    private final Random random;

    public MochiLoss(ContrastiveLoss base, int hardest, int synthetic, int querySynthetic, long seed) {
        this.base = java.util.Objects.requireNonNull(base, "base");
        if (hardest < 2) {
            throw new IllegalArgumentException("MoCHi hardest must be >= 2 (mixes two negatives), got " + hardest);
        }
        if (synthetic < 0 || querySynthetic < 0 || synthetic + querySynthetic == 0) {
            throw new IllegalArgumentException("MoCHi synthetic=" + synthetic + " and querySynthetic="
                    + querySynthetic + " must be >= 0 with a positive sum");
        }
        this.hardest = hardest;
        this.synthetic = synthetic;
        this.querySynthetic = querySynthetic;
        this.random = new Random(seed);
    }

    @Override
    public NDArray compute(LossInput input) {
        NDArray projections = input.projections();
        NDManager manager = projections.getManager();
        int n = input.samples();
        int rows = Math.toIntExact(projections.getShape().get(0));
        long dim = projections.getShape().get(1);
        int candidates = rows - input.views();
        if (candidates < hardest) {
            throw new IllegalArgumentException("MoCHi hardest=" + hardest + " exceeds the " + candidates
                    + " negatives available per query in this batch; lower mochi.hardest or raise the batch size");
        }
        NDArray z = Contrast.normalize(projections).stopGradient();
        NDArray queries = z.get(":" + n);
        NDArray sameSample = Contrast.sameSample(manager, rows, n).get(":" + n);
        NDArray scores = queries.matMul(z.transpose()).sub(sameSample.mul(1e9f));
        long[] order = scores.argSort(1, false).get(":, :" + hardest).toLongArray();

        int perSample = synthetic + querySynthetic;
        long[] first = new long[n * perSample];
        long[] second = new long[n * perSample];
        float[] weight = new float[n * perSample];
        float[] queryWeight = new float[n * perSample];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < perSample; s++) {
                int slot = i * perSample + s;
                int j = random.nextInt(hardest);
                first[slot] = order[i * hardest + j];
                if (s < synthetic) {
                    int k = random.nextInt(hardest - 1);
                    second[slot] = order[i * hardest + (k >= j ? k + 1 : k)];
                    weight[slot] = random.nextFloat();
                } else {
                    second[slot] = i;
                    queryWeight[slot] = 0.5f * random.nextFloat();
                }
            }
        }
        // synthetic: alpha h_j + (1-alpha) h_k ; query mix: (1-beta) h_j + beta q_i (second index is the query row)
        NDArray a = z.get(manager.create(first));
        NDArray b = z.get(manager.create(second));
        float[] firstCoefficient = new float[weight.length];
        float[] secondCoefficient = new float[weight.length];
        for (int slot = 0; slot < weight.length; slot++) {
            boolean queryMix = slot % perSample >= synthetic;
            firstCoefficient[slot] = queryMix ? 1f - queryWeight[slot] : weight[slot];
            secondCoefficient[slot] = queryMix ? queryWeight[slot] : 1f - weight[slot];
        }
        NDArray mixed = a.mul(manager.create(firstCoefficient).expandDims(1))
                .add(b.mul(manager.create(secondCoefficient).expandDims(1)));
        NDArray synthesized = Contrast.normalize(mixed).reshape(new Shape(n, perSample, dim))
                .toType(DataType.FLOAT32, false).stopGradient();
        NDArray negatives = input.negatives().map(existing -> existing.concat(synthesized, 1)).orElse(synthesized);
        return base.compute(input.toBuilder().optNegatives(negatives).build());
    }

    @Override
    public boolean usesTeacher() {
        return base.usesTeacher();
    }

    @Override
    public String toString() {
        return "MochiLoss[base=" + base + ", hardest=" + hardest + ", synthetic=" + synthetic + ", querySynthetic="
                + querySynthetic + "]";
    }
}
