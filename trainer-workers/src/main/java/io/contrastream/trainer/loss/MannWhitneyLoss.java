package io.contrastream.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.contrastream.trainer.loss.internal.Contrast;

/**
 * Mann-Whitney (AUC) contrastive loss: for every anchor, every positive {@code p} and every negative {@code n}, a
 * logistic surrogate of the Wilcoxon-Mann-Whitney indicator {@code 1[s_ap > s_an]},
 * <pre>  L = mean_{a, p in P(a), n in N(a)} log(1 + exp(-(s_ap - s_an)))</pre>
 * where {@code s} are cosine similarities divided by the temperature, {@code P(a)} the other views of {@code a}'s
 * sample and {@code N(a)} the rows of other samples plus any explicit negatives. Minimising it maximises a smooth
 * approximation of the AUC of ranking positives above negatives (Yan, Dodier, Mozer, Wolniewicz 2003, "Optimizing
 * Classifier Performance via an Approximation to the Wilcoxon-Mann-Whitney Statistic", ICML; Herschtal, Raskutti
 * 2004, "Optimising Area Under the ROC Curve Using Gradient Descent", ICML). Unlike InfoNCE it is a mean of pairwise
 * terms, not a softmax.
 */
public final class MannWhitneyLoss implements ContrastiveLoss {
    private final float temperature;

    public MannWhitneyLoss(float temperature) {
        this.temperature = LossConfig.checkTemperature(temperature);
    }

    @Override
    public NDArray compute(LossInput input) {
        int views = input.views();
        if (views < 2) {
            throw new IllegalArgumentException("Mann-Whitney loss needs at least 2 views, got " + views);
        }
        NDArray projections = input.projections();
        NDManager manager = projections.getManager();
        int rows = Math.toIntExact(projections.getShape().get(0));
        int n = input.samples();
        NDArray z = Contrast.normalize(projections);
        NDArray sim = Contrast.similarities(z, temperature);
        NDArray negativeMask = Contrast.sameSample(manager, rows, n).neg().add(1f);
        NDArray extra = input.negatives()
                .map(neg -> Contrast.negativeLogits(z, neg, views, temperature)).orElse(null);
        float pairsPerShift = negativeMask.sum().getFloat() + (extra == null ? 0 : extra.size());
        NDArray total = null;
        for (int shift = 1; shift < views; shift++) {
            // Row a = v*N + i has positive ((v + shift) mod V)*N + i, i.e. row (a + shift*N) mod R.
            NDArray rolled = Contrast.rotate(z, shift * n);
            NDArray positive = z.mul(rolled).sum(new int[] {1}).div(Contrast.scalar(z, temperature)).expandDims(1);
            NDArray term = Contrast.softplus(sim.sub(positive)).mul(negativeMask).sum();
            if (extra != null) {
                term = term.add(Contrast.softplus(extra.sub(positive)).sum());
            }
            total = total == null ? term : total.add(term);
        }
        if (!(pairsPerShift > 0f)) {
            throw new IllegalArgumentException("Mann-Whitney loss needs negatives: the batch has a single sample"
                    + " and no explicit negatives");
        }
        return total.div(Contrast.scalar(total, pairsPerShift * (views - 1)));
    }

    @Override
    public String toString() {
        return "MannWhitneyLoss[temperature=" + temperature + "]";
    }
}
