package io.contrastream.trainer.internal;

import io.contrastream.model.StoredCheckpoint;
import io.contrastream.schemas.CheckpointEvent;
import java.util.Objects;

/**
 * A verified checkpoint to resume from: its event, its parameter file and its pending views.
 *
 * @param event      the committed event
 * @param parameters the parameter file (verified)
 * @param pending    the parsed pending-view attachment (verified)
 */
public record ResumePoint(CheckpointEvent event, StoredCheckpoint parameters, PendingViews pending) {
    public ResumePoint {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(pending, "pending");
    }
}
