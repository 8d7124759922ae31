package io.contrastream.trainer;

import io.contrastream.model.replay.ReplayBuffer;
import io.contrastream.schemas.CheckpointEvent;
import io.contrastream.trainer.engine.TrainBatch;
import java.util.List;
import java.util.Optional;

/** Callbacks from a running {@link TrainerWorker}, on the trainer's thread; keep them short. */
public interface TrainerListener {

    /** After every applied step. */
    default void onStep(TrainerProgress progress) {
    }

    /** After every applied step: the location of every view trained in it (view-major order not implied). */
    default void onBatchTrained(long step, List<ViewLocation> views) {
    }

    /**
     * After every applied step: the batch exactly as trained, including the replayed samples appended when replay
     * is on (their rows flagged in {@link TrainBatch#rehearsalMask()}). Do not keep the pixel array.
     */
    default void onBatch(long step, TrainBatch batch) {
    }

    /**
     * When a task has ended (after its task-end checkpoint, before the next task starts). {@code replay} is the
     * live replay buffer when replay is on: read it ({@code size()}, {@code exemplars()}, {@code writeTo}), do not
     * modify or retain it.
     */
    default void onTaskEnd(int taskId, long step, Optional<ReplayBuffer> replay) {
    }

    /**
     * Once, after the worker restored its state from {@code checkpoint} (before training on); {@code replay} is the
     * restored live replay buffer when replay is on (read only, do not retain).
     */
    default void onResumed(CheckpointEvent checkpoint, Optional<ReplayBuffer> replay) {
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
