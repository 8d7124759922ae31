package io.contrastream.trainer.internal;

import io.contrastream.schemas.TaskEvent;
import io.contrastream.schemas.TaskPhase;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the trainer knows of the run's class-incremental tasks, from the control topic's {@link TaskEvent}s. START
 * events must come in task order (0, 1, 2, ...); one that does not (a repeat, or START 3 after START 1) is rejected
 * with a log line and ignored. A task's expected sample count is {@code sampleCount * epochs} of its START.
 */
public final class TaskGate {
    private static final Logger LOG = LoggerFactory.getLogger(TaskGate.class);

    private final String runId;
    private final Map<Integer, TaskEvent> starts = new HashMap<>();
    private int lastStarted = -1;
    private int taskCount = -1;

    public TaskGate(String runId) {
        this.runId = runId;
    }

    /** Takes one control event; events of other runs are ignored. Returns whether it was accepted. */
    public boolean accept(TaskEvent event) {
        if (!runId.equals(event.getRunId())) {
            return false;
        }
        int id = event.getTaskId();
        if (event.getPhase() == TaskPhase.END) {
            if (id > lastStarted) {
                LOG.warn("rejected TaskEvent END of task {} of run {}: task {} is the last one started", id, runId,
                        lastStarted);
                return false;
            }
            LOG.info("producer ended task {} of run {} ({} samples sent)", id, runId, event.getSampleCount());
            return true;
        }
        if (id != lastStarted + 1) {
            LOG.warn("rejected TaskEvent START of task {} of run {}: out of order, expected task {} next; ignoring it",
                    id, runId, lastStarted + 1);
            return false;
        }
        if (event.getTaskCount() < 1 || id >= event.getTaskCount() || event.getSampleCount() < 0
                || event.getEpochs() < 1) {
            LOG.warn("rejected TaskEvent START of task {} of run {}: taskCount {}, sampleCount {}, epochs {} are"
                    + " inconsistent; ignoring it", id, runId, event.getTaskCount(), event.getSampleCount(),
                    event.getEpochs());
            return false;
        }
        starts.put(id, event);
        lastStarted = id;
        taskCount = event.getTaskCount();
        LOG.info("task {}/{} of run {} started: classes {}, {} samples x {} epochs", id, taskCount, runId,
                event.getClasses(), event.getSampleCount(), event.getEpochs());
        return true;
    }

    /** Samples the trainer must train or drop before task {@code taskId} ends, once its START has been seen. */
    public OptionalLong expectedSamples(int taskId) {
        TaskEvent start = starts.get(taskId);
        return start == null ? OptionalLong.empty() : OptionalLong.of(start.getSampleCount() * start.getEpochs());
    }

    /** Whether {@code taskId} is the run's final task ({@code taskCount - 1}), as far as the START events tell. */
    public boolean isLast(int taskId) {
        return taskCount > 0 && taskId == taskCount - 1;
    }

    /** Task count from the latest START, or -1 before any. */
    public int taskCount() {
        return taskCount;
    }
}
