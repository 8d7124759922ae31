package io.contrastream.trainer.engine;

/**
 * Raised after too many consecutive skipped steps (non-finite loss or gradients), in the spirit of DJL's
 * {@code DivergenceCheckTrainingListener}: training has diverged and continuing would waste compute.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int consecutiveSkips;

    public TrainingDivergedException(int consecutiveSkips, long step, StepResult.Reason reason, float lastLoss) {
        super("training diverged: " + consecutiveSkips + " consecutive steps skipped at step " + step + " ("
                + reason + ", last loss " + lastLoss + "); try lowering the learning rate, enabling or lowering"
                + " gradient clipping (OptimizerConfig.optClipping), raising the loss temperature, or checking the"
                + " inputs for NaN/infinite pixels; then resume from the last good checkpoint");
        this.consecutiveSkips = consecutiveSkips;
    }

    public int consecutiveSkips() {
        return consecutiveSkips;
    }
}
