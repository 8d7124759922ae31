package io.contrastream.trainer.loss;

import ai.djl.ndarray.NDArray;
import io.contrastream.trainer.loss.internal.Contrast;
import java.util.Objects;

/**
 * A base loss plus a supervised contrastive term on the rehearsal samples of the batch: the combination that trains
 * the current task self-supervised while the labelled replay buffer is learned with labels,
 * <pre>  L = base + weight * SupCon_rehearsal</pre>
 * where {@code SupCon_rehearsal} is SupCon (Khosla et al. 2020, "Supervised Contrastive Learning", NeurIPS, eq. 2,
 * {@code L_out}) with only replayed samples as anchors and every row of the batch available as a positive or negative
 * ({@link RehearsalSupConLoss} with {@link RehearsalSupConLoss.AnchorSet#REHEARSAL}).
 *
 * <p>A batch without replayed samples (the first task, before anything is stored) gets the base loss alone, so one
 * configuration trains every task. The batch must carry a rehearsal mask, i.e. the trainer must run with a replay
 * buffer, and labels whenever a sample is replayed. Configured by the {@code rehearsal.weight} and
 * {@code rehearsal.temperature} parameters of {@link LossConfig}.
 */
public final class RehearsalSupConTerm implements ContrastiveLoss {
    private final ContrastiveLoss base;
    private final float weight;
    private final RehearsalSupConLoss rehearsal;

    /**
     * @param base        the loss every batch gets
     * @param weight      weight of the rehearsal term, finite and {@code >= 0}
     * @param temperature the rehearsal term's softmax temperature
     */
    public RehearsalSupConTerm(ContrastiveLoss base, float weight, float temperature) {
        this.base = Objects.requireNonNull(base, "base");
        if (!(weight >= 0f) || Float.isInfinite(weight)) {
            throw new IllegalArgumentException("rehearsal weight must be finite and >= 0, got " + weight);
        }
        this.weight = weight;
        this.rehearsal = new RehearsalSupConLoss(temperature, RehearsalSupConLoss.AnchorSet.REHEARSAL);
    }

    @Override
    public NDArray compute(LossInput input) {
        boolean[] mask = input.rehearsalMask().orElseThrow(() -> new IllegalArgumentException(
                "the rehearsal SupCon term needs LossInput.rehearsalMask: run the trainer with a replay buffer,"
                        + " or drop the rehearsal.weight loss parameter"));
        NDArray loss = base.compute(input);
        if (weight == 0f || !anyTrue(mask)) {
            return loss;
        }
        NDArray term = rehearsal.compute(input);
        return loss.add(term.mul(Contrast.scalar(term, weight)));
    }

    private static boolean anyTrue(boolean[] mask) {
        for (boolean replayed : mask) {
            if (replayed) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean usesTeacher() {
        return base.usesTeacher();
    }

    @Override
    public String toString() {
        return "RehearsalSupConTerm[base=" + base + ", weight=" + weight + ", term=" + rehearsal + "]";
    }
}
