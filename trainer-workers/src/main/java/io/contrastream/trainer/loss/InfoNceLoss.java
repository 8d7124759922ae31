package io.contrastream.trainer.loss;

import ai.djl.ndarray.NDArray;
import io.contrastream.trainer.loss.internal.Contrast;

/**
 * InfoNCE / NT-Xent for two views (van den Oord, Li, Vinyals 2018, "Representation Learning with Contrastive
 * Predictive Coding"; Chen et al. 2020, "A Simple Framework for Contrastive Learning of Visual Representations",
 * eq. 1). With {@code z} L2-normalised and {@code s_ab = z_a . z_b / tau}, for each of the {@code 2N} anchors
 * {@code a} with positive {@code p(a)} (the other view of its sample):
 * <pre>  l_a = -s_{a,p(a)} + log( sum_{k != a} exp(s_ak) [+ sum_m exp(z_a . n_m / tau)] )</pre>
 * so each anchor sees its positive and the {@code 2N-2} other rows as negatives. When {@link LossInput#negatives()}
 * are present they are appended to every partition function of their sample's anchors, the explicit hard-negative
 * form used by ANCE (Xiong et al. 2021, "Approximate Nearest Neighbor Negative Contrastive Learning for Dense Text
 * Retrieval", ICLR). The loss is the mean of {@code l_a}.
 */
public final class InfoNceLoss implements ContrastiveLoss {
    private final float temperature;

    public InfoNceLoss(float temperature) {
        this.temperature = LossConfig.checkTemperature(temperature);
    }

    @Override
    public NDArray compute(LossInput input) {
        if (input.views() != 2) {
            throw new IllegalArgumentException("InfoNCE (NT-Xent) needs exactly 2 views, got " + input.views()
                    + "; use MultiViewInfoNceLoss (\"multiview-infonce\") for more");
        }
        return multiView(input, temperature);
    }

    /** Shared by the two-view and multi-view forms: positives are all other views of the anchor's sample. */
    static NDArray multiView(LossInput input, float temperature) {
        NDArray z = Contrast.normalize(input.projections());
        NDArray extra = input.negatives()
                .map(n -> Contrast.negativeLogits(z, n, input.views(), temperature)).orElse(null);
        return Contrast.instanceCrossEntropy(z, input.views(), temperature, extra);
    }

    @Override
    public String toString() {
        return "InfoNceLoss[temperature=" + temperature + "]";
    }
}
