package io.contrastream.trainer.loss;

import ai.djl.ndarray.NDArray;

/**
 * Multi-view InfoNCE for {@code V >= 2} views: every other view of an anchor's sample is a positive and every row of
 * another sample a negative, one term per anchor averaging its {@code V-1} positives, the multi-view form of
 * Khosla et al. 2020 ("Supervised Contrastive Learning", eq. 2 with sample identity as the label) and of Tian,
 * Krishnan, Isola 2020 ("Contrastive Multiview Coding", ECCV, "full graph" pairing):
 * <pre>  l_a = -1/(V-1) sum_{p in P(a)} s_ap + log sum_{k != a} exp(s_ak)</pre>
 * With {@code V = 2} it equals {@link InfoNceLoss}. Explicit negatives extend every partition function.
 */
public final class MultiViewInfoNceLoss implements ContrastiveLoss {
    private final float temperature;

    public MultiViewInfoNceLoss(float temperature) {
        this.temperature = LossConfig.checkTemperature(temperature);
    }

    @Override
    public NDArray compute(LossInput input) {
        if (input.views() < 2) {
            throw new IllegalArgumentException("multi-view InfoNCE needs at least 2 views, got " + input.views());
        }
        return InfoNceLoss.multiView(input, temperature);
    }

    @Override
    public String toString() {
        return "MultiViewInfoNceLoss[temperature=" + temperature + "]";
    }
}
