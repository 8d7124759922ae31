package io.contrastream.trainer.loss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.contrastream.trainer.loss.LossInput;

/**
 * Shared arithmetic of softmax-based contrastive losses over the view-major layout of {@link LossInput}: row
 * normalisation, similarity matrix, structural masks and the masked cross-entropy
 * {@code -sum_p w_ap log(exp(s_ap) / sum_{k in D(a)} exp(s_ak))}.
 *
 * <p><b>Numbers on a gradient path go through {@link #scalar}.</b> DJL's {@code NDArray.div(Number)} (likewise
 * {@code mul}, {@code maximum}, ...) on PyTorch wraps the number in a 0-d array backed by a Java direct buffer
 * ({@code from_blob}, not owned by PyTorch) and closes that array as soon as the op returns. Autograd keeps the 0-d
 * tensor for the backward pass ({@code d(x/t)/dx = 1/t} reads {@code t}), but once the array is closed nothing keeps
 * the buffer alive: a garbage collection between forward and backward frees it, the allocator hands the memory out
 * again, and backward reads whatever was written there. The loss is unaffected (computed before), the gradients are
 * garbage (1e26 in a skipped step of the 8x4 test network, NaN or infinity as often), and the engine's guard skips
 * the update as {@code NON_FINITE_GRADIENT}, rarely and not reproducibly. {@link #scalar} creates the same 0-d array
 * in the operand's manager instead, which keeps it open (and its buffer alive) until the training step closes its
 * manager, after backward; the arithmetic, hence every value, is unchanged.
 */
public final class Contrast {
    /** Added to excluded logits; exp of it underflows to exactly 0 in float32. */
    private static final float EXCLUDED = -1e9f;

    private Contrast() {
    }

    /** L2-normalises along the last axis. */
    public static NDArray normalize(NDArray x) {
        int last = x.getShape().dimension() - 1;
        return x.div(x.norm(new int[] {last}, true).maximum(scalar(x, 1e-12f)));
    }

    /**
     * A 0-d array of {@code value} in {@code operand}'s manager, for arithmetic with a number on a gradient path
     * (see the class Javadoc for why not {@code operand.div(value)}): the same array DJL's number overloads create
     * ({@code NDManager.create(Number)}), left open until that manager closes.
     */
    public static NDArray scalar(NDArray operand, Number value) {
        return operand.getManager().create(value);
    }

    /** {@code z z^T / temperature} for normalised rows. */
    public static NDArray similarities(NDArray z, float temperature) {
        return z.matMul(z.transpose()).div(scalar(z, temperature));
    }

    /** {@code [R, R]} float, 1 where rows are views of the same sample (including the diagonal). */
    public static NDArray sameSample(NDManager manager, int rows, int samples) {
        try (NDArray ids = manager.arange(rows).toType(DataType.INT64, false).mod(samples)) {
            return ids.expandDims(1).eq(ids.expandDims(0)).toType(DataType.FLOAT32, false);
        }
    }

    /** {@code [R, R]} float, 1 where rows have equal per-sample labels (labels tiled over views). */
    public static NDArray sameLabel(NDManager manager, long[] labels, int views) {
        NDArray tiled = manager.create(labels).tile(views);
        return tiled.expandDims(1).eq(tiled.expandDims(0)).toType(DataType.FLOAT32, false);
    }

    /** Identity {@code [R, R]} float. */
    public static NDArray self(NDManager manager, int rows) {
        return manager.eye(rows);
    }

    /** Per-row anchor weights {@code [R]} from a per-sample flag tiled over views. */
    public static NDArray anchorsFrom(NDManager manager, boolean[] perSample, boolean wanted, int views) {
        float[] w = new float[perSample.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = perSample[i] == wanted ? 1f : 0f;
        }
        return manager.create(w).tile(views);
    }

    /** Logits {@code [R, M]} of each row against its sample's explicit negatives {@code [N, M, D]}. */
    public static NDArray negativeLogits(NDArray z, NDArray negatives, int views, float temperature) {
        NDArray tiled = normalize(negatives).tile(new long[] {views, 1, 1});
        return z.expandDims(1).mul(tiled).sum(new int[] {2}).div(scalar(z, temperature));
    }

    /**
     * Mean over anchors of {@code logsumexp_{k: denominator[a,k]=1 or extra}(logits) - sum_p w[a,p] s[a,p]}, where
     * {@code w} is {@code positives} normalised per row; anchors with no positive or zero anchor weight are skipped.
     *
     * @param sim         {@code [R, R]} similarity logits
     * @param positives   {@code [R, R]} 0/1 positive mask
     * @param denominator {@code [R, R]} 0/1 mask of logits in the partition function
     * @param extra       {@code [R, M]} additional logits in every partition function, or null
     * @param anchors     {@code [R]} 0/1 anchor selection, or null for all
     */
    public static NDArray crossEntropy(NDArray sim, NDArray positives, NDArray denominator, NDArray extra,
                                       NDArray anchors) {
        NDArray logits = sim.add(denominator.sub(1f).mul(-EXCLUDED));
        if (extra != null) {
            logits = logits.concat(extra, 1);
        }
        NDArray lse = logSumExp(logits);
        NDArray positiveCount = positives.sum(new int[] {1});
        NDArray meanPositive = sim.mul(positives).sum(new int[] {1}).div(positiveCount.maximum(1f));
        NDArray weights = positiveCount.gt(0f).toType(DataType.FLOAT32, false);
        if (anchors != null) {
            weights = weights.mul(anchors);
        }
        return weightedMean(lse.sub(meanPositive), weights);
    }

    /**
     * Fast path of {@link #crossEntropy} for the instance-discrimination case (positives: the other views of the
     * anchor's sample; partition function: every row but the anchor, plus {@code extra}), with no {@code [R, R]}
     * masks and few full-matrix passes: {@code 1/temperature} is folded into one {@code [R, D]} operand of the
     * similarity product, the diagonal is excluded in place on the product's output, one fused
     * {@code logSoftmax} gives {@code s_ak - logsumexp_k}, and a gather picks the {@code V-1} positives of every
     * row. Requires {@code V >= 2}. Same value as {@link #crossEntropy} with the structural masks (to float
     * rounding), at about a third of the full-matrix element passes forward and backward.
     */
    public static NDArray instanceCrossEntropy(NDArray z, int views, float temperature, NDArray extra) {
        NDManager manager = z.getManager();
        int rows = Math.toIntExact(z.getShape().get(0));
        int samples = rows / views;
        NDArray logits = z.div(scalar(z, temperature)).matMul(z.transpose());
        // Exclude the diagonal in place through a detached alias of the product's storage, so autograd records no
        // copy of the [R, R] gradient for it: the product's backward needs z, not its output, and logSoftmax saves
        // its own output. The excluded logits get softmax weight exp(EXCLUDED) = 0, hence zero gradient, exactly as
        // with an additive mask.
        logits.stopGradient().diagonal().subi(-EXCLUDED);
        if (extra != null) {
            logits = logits.concat(extra, 1);
        }
        long[] positives = new long[rows * (views - 1)];
        for (int a = 0; a < rows; a++) {
            for (int shift = 1; shift < views; shift++) {
                positives[a * (views - 1) + shift - 1] = (a + (long) shift * samples) % rows;
            }
        }
        NDArray index = manager.create(positives, new Shape(rows, views - 1));
        return logits.logSoftmax(1).gather(index, 1).mean().neg();
    }

    /** Rows {@code (a + offset) mod R} of {@code z}, for {@code 0 < offset < R}: row {@code v*N+i} meets view {@code v+shift}. */
    public static NDArray rotate(NDArray z, int offset) {
        return z.get(offset + ":").concat(z.get(":" + offset), 0);
    }

    /** Row-wise log-sum-exp of {@code [R, K]} logits, numerically stable. */
    public static NDArray logSumExp(NDArray logits) {
        NDArray max = logits.max(new int[] {1}, true).stopGradient();
        return logits.sub(max).exp().sum(new int[] {1}).log().add(max.squeeze(1));
    }

    /** {@code sum(values * weights) / sum(weights)}; fails if no weight is positive. */
    public static NDArray weightedMean(NDArray values, NDArray weights) {
        float total = weights.sum().getFloat();
        if (!(total > 0f)) {
            throw new IllegalArgumentException("no anchor contributes to the loss: every anchor is masked out or"
                    + " has no positive; check labels, views and the rehearsal mask");
        }
        return values.mul(weights).sum().div(scalar(values, total));
    }

    /** Numerically stable {@code log(1 + exp(x))}. */
    public static NDArray softplus(NDArray x) {
        return x.maximum(scalar(x, 0f)).add(x.abs().neg().exp().add(1f).log());
    }
}
