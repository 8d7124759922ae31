package io.contrastream.trainer.internal;

import io.contrastream.model.StoredCheckpoint;
import io.contrastream.model.replay.ReplayBuffer;
import io.contrastream.schemas.CheckpointEvent;
import java.util.Objects;
import java.util.Optional;

/**
 * A verified checkpoint to resume from: its event, its parameter file, its pending views, when it has a
 * {@value TrainingLoop#REPLAY_ATTACHMENT} attachment the replay buffer it saved, and when it has an
 * {@value TrainingLoop#OPTIMIZER_ATTACHMENT} attachment the optimiser-state file.
 *
 * @param event      the committed event
 * @param parameters the parameter file (verified)
 * @param pending    the parsed pending-view attachment (verified)
 * @param replay     the replay buffer read from the verified replay attachment, if the checkpoint has one
 * @param optimizer  the optimiser-state file (verified and parsed once; the engine verifies it again on load), if the
 *                   checkpoint has one
 */
public record ResumePoint(CheckpointEvent event, StoredCheckpoint parameters, PendingViews pending,
                          Optional<ReplayBuffer> replay, Optional<StoredCheckpoint> optimizer) {
    public ResumePoint {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(pending, "pending");
        Objects.requireNonNull(replay, "replay");
        Objects.requireNonNull(optimizer, "optimizer");
    }
}
