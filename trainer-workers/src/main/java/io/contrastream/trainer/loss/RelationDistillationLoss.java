package io.contrastream.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.contrastream.trainer.loss.internal.Contrast;

/**
 * Co2L instance-wise relation distillation, IRD (Cha, Lee, Shin 2021, "Co2L: Contrastive Continual Learning", ICCV,
 * eqs. 4-5), added to a base loss. For each row {@code i} the instance-relation distribution over the other rows of
 * the batch is {@code p(i,j; kappa) = exp(z_i . z_j / kappa) / sum_{k != i} exp(z_i . z_k / kappa)}; with the
 * current encoder's projections ({@code kappa}) and a frozen previous encoder's ({@link LossInput#teacherProjections()},
 * {@code kappa*}, no gradient):
 * <pre>  L_IRD = mean_i sum_{j != i} -p_past(i,j; kappa*) log p_cur(i,j; kappa)
 *  L = base + weight * L_IRD</pre>
 * When no teacher projections are given (e.g. the first task), only the base loss is returned. Co2L uses
 * {@code kappa = 0.2}, {@code kappa* = 0.01}.
 */
public final class RelationDistillationLoss implements ContrastiveLoss {
    private final ContrastiveLoss base;
    private final float weight;
    private final float temperature;
    private final float teacherTemperature;

    public RelationDistillationLoss(ContrastiveLoss base, float weight, float temperature, float teacherTemperature) {
        this.base = java.util.Objects.requireNonNull(base, "base");
        if (!(weight >= 0f) || Float.isInfinite(weight)) {
            throw new IllegalArgumentException("IRD weight must be finite and >= 0, got " + weight);
        }
        this.weight = weight;
        this.temperature = LossConfig.checkTemperature(temperature);
        this.teacherTemperature = LossConfig.checkTemperature(teacherTemperature);
    }

    @Override
    public NDArray compute(LossInput input) {
        NDArray loss = base.compute(input);
        if (input.teacherProjections().isEmpty() || weight == 0f) {
            return loss;
        }
        NDArray distillation = distillation(input.projections(), input.teacherProjections().get());
        return loss.add(distillation.mul(Contrast.scalar(distillation, weight)));
    }

    /** {@code L_IRD} alone. */
    public NDArray distillation(NDArray projections, NDArray teacherProjections) {
        NDManager manager = projections.getManager();
        int rows = Math.toIntExact(projections.getShape().get(0));
        NDArray offDiagonal = Contrast.self(manager, rows).neg().add(1f);
        NDArray current = logRelations(Contrast.normalize(projections), temperature, offDiagonal);
        NDArray past = logRelations(Contrast.normalize(teacherProjections.stopGradient()), teacherTemperature,
                offDiagonal).exp().mul(offDiagonal);
        return past.mul(current).sum(new int[] {1}).neg().mean();
    }

    private static NDArray logRelations(NDArray z, float temperature, NDArray offDiagonal) {
        NDArray logits = Contrast.similarities(z, temperature).add(offDiagonal.sub(1f).mul(1e9f));
        return logits.sub(Contrast.logSumExp(logits).expandDims(1));
    }

    @Override
    public boolean usesTeacher() {
        return true;
    }

    @Override
    public String toString() {
        return "RelationDistillationLoss[base=" + base + ", weight=" + weight + ", temperature=" + temperature
                + ", teacherTemperature=" + teacherTemperature + "]";
    }
}
