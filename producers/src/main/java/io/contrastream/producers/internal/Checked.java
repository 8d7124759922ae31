package io.contrastream.producers.internal;

import io.contrastream.data.Image;
import io.contrastream.schemas.DeadLetter;

/** The outcome of checking one sample: decoded and valid, or rejected with a reason. */
public sealed interface Checked permits Checked.Valid, Checked.Rejected {

    /**
     * A sample ready for augmentation.
     *
     * @param sampleId the sample id
     * @param label    label or null
     * @param taskId   task id or null
     * @param source   the sample's source (written as the views' dataset)
     * @param image    decoded pixels
     */
    record Valid(String sampleId, Integer label, Integer taskId, String source, Image image) implements Checked {
    }

    /**
     * A rejected sample.
     *
     * @param errorType kind of failure, e.g. {@code SHAPE_MISMATCH}
     * @param reason    what was wrong, naming the sample
     * @param letter    the dead letter (null until the processor adds where the sample came from)
     */
    record Rejected(String errorType, String reason, DeadLetter letter) implements Checked {
    }
}
