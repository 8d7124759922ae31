package io.contrastream.trainer.loss;

import ai.djl.ndarray.NDArray;
import io.contrastream.trainer.loss.internal.Contrast;

/**
 * SupCon restricted to a subset of anchors chosen by {@link LossInput#rehearsalMask()}; all rows stay available as
 * positives and negatives. Two uses in rehearsal-based continual learning:
 * <ul>
 *   <li>{@link AnchorSet#REHEARSAL}: only replayed samples act as anchors, applying the supervised term to the
 *       rehearsal buffer (the labelled-memory form used alongside a self-supervised loss);</li>
 *   <li>{@link AnchorSet#CURRENT}: only current-task samples act as anchors and replayed samples serve as
 *       negatives, the asymmetric SupCon of Co2L (Cha, Lee, Shin 2021, "Co2L: Contrastive Continual Learning",
 *       ICCV, eq. 3).</li>
 * </ul>
 * The underlying loss is Khosla et al. 2020, "Supervised Contrastive Learning" (see {@link SupConLoss}). Requires
 * labels and a rehearsal mask; a batch where no anchor is selected is an error (callers should not send one).
 */
public final class RehearsalSupConLoss implements ContrastiveLoss {

    /** Which samples may be anchors. */
    public enum AnchorSet { REHEARSAL, CURRENT }

    private final float temperature;
    private final AnchorSet anchorSet;

    public RehearsalSupConLoss(float temperature, AnchorSet anchorSet) {
        this.temperature = LossConfig.checkTemperature(temperature);
        this.anchorSet = java.util.Objects.requireNonNull(anchorSet, "anchorSet");
    }

    @Override
    public NDArray compute(LossInput input) {
        boolean[] mask = input.rehearsalMask().orElseThrow(() -> new IllegalArgumentException(
                "rehearsal SupCon needs LossInput.rehearsalMask (true for replayed samples)"));
        NDArray anchors = Contrast.anchorsFrom(input.projections().getManager(), mask,
                anchorSet == AnchorSet.REHEARSAL, input.views());
        return SupConLoss.supCon(input, temperature, anchors);
    }

    @Override
    public String toString() {
        return "RehearsalSupConLoss[temperature=" + temperature + ", anchors=" + anchorSet + "]";
    }
}
