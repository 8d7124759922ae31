package io.contrastream.trainer;

import io.contrastream.schemas.CheckpointEvent;
import java.util.List;

/** Callbacks from a running {@link TrainerWorker}, on the trainer's thread; keep them short. */
public interface TrainerListener {

    /** After every applied step. */
    default void onStep(TrainerProgress progress) {
    }

    /** After every applied step: the location of every view trained in it (view-major order not implied). */
    default void onBatchTrained(long step, List<ViewLocation> views) {
    }

    /** After a checkpoint's transaction committed. */
    default void onCheckpoint(CheckpointEvent checkpoint) {
    }

    /** A listener that ignores everything. */
    static TrainerListener none() {
        return new TrainerListener() {
        };
    }
}
