package io.contrastream.schemas.codec;

import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.CheckpointEvent;
import io.contrastream.schemas.DeadLetter;
import io.contrastream.schemas.HardNegativeSet;
import io.contrastream.schemas.MetricRecord;
import io.contrastream.schemas.ReplayEntry;
import io.contrastream.schemas.Sample;
import io.contrastream.schemas.TaskEvent;
import org.apache.avro.specific.SpecificRecord;

import java.util.List;

/** Every top-level event type that travels on a topic, each with its own schema history. */
public final class EventTypes {
    /** The event classes, in the order of the architecture's topic table. */
    public static final List<Class<? extends SpecificRecord>> ALL = List.of(
            Sample.class, AugmentedView.class, TaskEvent.class, HardNegativeSet.class, CheckpointEvent.class,
            MetricRecord.class, ReplayEntry.class, DeadLetter.class);

    private EventTypes() {
    }
}
