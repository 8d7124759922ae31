package io.contrastream.trainer.internal;

import io.contrastream.schemas.AugmentedView;
import io.contrastream.trainer.ViewLocation;
import java.util.Objects;

/**
 * A valid view held until its sample is complete and trained: where it came from, its record bytes (kept for the
 * pending-view checkpoint attachment; {@code null} for in-memory views, re-encoded when needed) and the event.
 */
public record BufferedView(ViewLocation location, byte[] key, byte[] value, AugmentedView view) {
    public BufferedView {
        Objects.requireNonNull(location, "BufferedView.location");
        Objects.requireNonNull(view, "BufferedView.view");
    }

    /** The task of this view; views without a task id belong to task 0 (joint training). */
    public int taskId() {
        return view.getTaskId() == null ? 0 : view.getTaskId();
    }
}
