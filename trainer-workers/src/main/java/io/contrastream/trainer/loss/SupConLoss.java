package io.contrastream.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.contrastream.trainer.loss.internal.Contrast;

/**
 * Supervised contrastive loss, SupCon (Khosla et al. 2020, "Supervised Contrastive Learning", NeurIPS, eq. 2,
 * {@code L_out}): positives of anchor {@code a} are all other rows with the same label,
 * <pre>  l_a = -1/|P(a)| sum_{p in P(a)} [ s_ap - log sum_{k != a} exp(s_ak) ]</pre>
 * averaged over anchors with at least one positive. Requires {@link LossInput#labels()}; explicit negatives extend
 * the partition function.
 */
public final class SupConLoss implements ContrastiveLoss {
    private final float temperature;

    public SupConLoss(float temperature) {
        this.temperature = LossConfig.checkTemperature(temperature);
    }

    @Override
    public NDArray compute(LossInput input) {
        return supCon(input, temperature, null);
    }

    static NDArray supCon(LossInput input, float temperature, NDArray anchors) {
        long[] labels = input.labels().orElseThrow(() -> new IllegalArgumentException(
                "SupCon needs LossInput.labels (one per sample); use InfoNCE for unlabelled batches"));
        NDArray projections = input.projections();
        NDManager manager = projections.getManager();
        int rows = Math.toIntExact(projections.getShape().get(0));
        NDArray z = Contrast.normalize(projections);
        NDArray sim = Contrast.similarities(z, temperature);
        NDArray self = Contrast.self(manager, rows);
        NDArray positives = Contrast.sameLabel(manager, labels, input.views()).sub(self);
        NDArray denominator = self.neg().add(1f);
        NDArray extra = input.negatives()
                .map(n -> Contrast.negativeLogits(z, n, input.views(), temperature)).orElse(null);
        return Contrast.crossEntropy(sim, positives, denominator, extra, anchors);
    }

    @Override
    public String toString() {
        return "SupConLoss[temperature=" + temperature + "]";
    }
}
