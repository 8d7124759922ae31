package io.contrastream.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.contrastream.trainer.loss.internal.Contrast;

/**
 * Decoupled contrastive loss, DCL (Yeh, Hong, Hsu, Liu, Chen, LeCun 2022, "Decoupled Contrastive Learning", ECCV,
 * eq. 6): InfoNCE with the positive removed from the partition function, which removes the negative-positive
 * coupling that hurts small batches:
 * <pre>  l_a = -1/(V-1) sum_{p in P(a)} s_ap + log sum_{k not a view of a's sample} exp(s_ak)</pre>
 * For {@code V = 2} this is exactly the paper's {@code -s_{a,p} + log sum_{k != a, p} exp(s_ak)}. Explicit negatives
 * extend the partition function.
 */
public final class DecoupledContrastiveLoss implements ContrastiveLoss {
    private final float temperature;

    public DecoupledContrastiveLoss(float temperature) {
        this.temperature = LossConfig.checkTemperature(temperature);
    }

    @Override
    public NDArray compute(LossInput input) {
        if (input.views() < 2) {
            throw new IllegalArgumentException("DCL needs at least 2 views, got " + input.views());
        }
        NDArray projections = input.projections();
        NDManager manager = projections.getManager();
        int rows = Math.toIntExact(projections.getShape().get(0));
        NDArray z = Contrast.normalize(projections);
        NDArray sim = Contrast.similarities(z, temperature);
        NDArray same = Contrast.sameSample(manager, rows, input.samples());
        NDArray positives = same.sub(Contrast.self(manager, rows));
        NDArray denominator = same.neg().add(1f);
        NDArray extra = input.negatives()
                .map(n -> Contrast.negativeLogits(z, n, input.views(), temperature)).orElse(null);
        return Contrast.crossEntropy(sim, positives, denominator, extra, null);
    }

    @Override
    public String toString() {
        return "DecoupledContrastiveLoss[temperature=" + temperature + "]";
    }
}
