package io.contrastream.trainer.internal;

import java.util.List;

/**
 * All V views of one (sampleId, epoch), ordered by view index.
 *
 * @param sampleId sample id
 * @param epoch    producer epoch
 * @param taskId   the task the views declared (0 when they declared none)
 * @param views    {@code views.get(v)} has view index {@code v}
 */
public record AssembledSample(String sampleId, int epoch, int taskId, List<BufferedView> views) {
    public AssembledSample {
        views = List.copyOf(views);
    }

    /** The label all views carry, or -1 when a view has none. */
    public long label() {
        Integer label = views.get(0).view().getLabel();
        for (BufferedView view : views) {
            if (view.view().getLabel() == null || !view.view().getLabel().equals(label)) {
                return -1;
            }
        }
        return label;
    }
}
