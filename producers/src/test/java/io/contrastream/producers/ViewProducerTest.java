package io.contrastream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.data.Dataset;
import io.contrastream.data.DatasetFormatException;
import io.contrastream.data.Example;
import io.contrastream.data.Image;
import io.contrastream.data.SyntheticShapes;
import io.contrastream.data.schedule.ClassIndex;
import io.contrastream.data.schedule.TaskSchedule;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.TaskEvent;
import io.contrastream.schemas.TaskPhase;
import io.contrastream.schemas.codec.EventCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ViewProducerTest {

    private static final EventCodec<AugmentedView> VIEWS = EventCodec.of(AugmentedView.class);
    private static final EventCodec<TaskEvent> TASKS = EventCodec.of(TaskEvent.class);
    private static final Dataset DATA = new SyntheticShapes("train", 80, 1, 8, 8, 5L);

    private static MockProducer<String, byte[]> mock() {
        return new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    }

    private static ViewProducer producer(int instance, int instances, int limit) {
        return ViewProducer.builder().setRunId("r").setDataset(DATA).optSchedule(TaskSchedule.split(10, 2))
                .optEpochs(2).optViewCount(3).optSeed(7).optInstance(instance, instances).optLimitPerTask(limit)
                .optWorkers(2).build();
    }

    @Test
    void shouldAnnounceTasksInOrderAroundTheirViews() {
        MockProducer<String, byte[]> mock = mock();
        ProduceSummary summary = producer(0, 1, 0).run(mock, "views", "control", null);
        ClassIndex index = ClassIndex.of(DATA);
        TaskSchedule schedule = TaskSchedule.split(10, 2);
        List<String> sequence = new ArrayList<>();
        int currentTask = -1;
        for (ProducerRecord<String, byte[]> r : mock.history()) {
            if (r.topic().equals("control")) {
                TaskEvent e = TASKS.decode(r.value());
                assertEquals("r", r.key());
                assertEquals(2, e.getTaskCount());
                assertEquals(2, e.getEpochs());
                assertEquals(3, e.getViewCount());
                assertEquals(List.copyOf(schedule.task(e.getTaskId()).classes()), e.getClasses());
                assertEquals(index.indices(schedule.task(e.getTaskId())).length, e.getSampleCount());
                sequence.add(e.getPhase() + " " + e.getTaskId());
                currentTask = e.getPhase() == TaskPhase.START ? e.getTaskId() : -1;
            } else {
                AugmentedView v = VIEWS.decode(r.value());
                assertEquals(currentTask, v.getTaskId(), "view outside its task's START/END");
                assertTrue(schedule.task(currentTask).contains(v.getLabel()));
            }
        }
        assertEquals(List.of("START 0", "END 0", "START 1", "END 1"), sequence);
        assertEquals(ProduceSummary.Outcome.COMPLETED, summary.outcome());
        assertEquals(2, summary.tasksCompleted());
        assertEquals(80L * 2 * 3, summary.recordsSent());
        assertEquals(80L * 2, summary.samplesSent());
    }

    @Test
    void shouldSendExactlyVConsecutiveViewsOfEverySamplePerEpoch() {
        MockProducer<String, byte[]> mock = mock();
        producer(0, 1, 0).run(mock, "views", "control", null);
        Map<String, Integer> counts = new HashMap<>();
        List<ProducerRecord<String, byte[]>> views = mock.history().stream()
                .filter(r -> r.topic().equals("views")).toList();
        for (int i = 0; i < views.size(); i += 3) {
            for (int v = 0; v < 3; v++) {
                AugmentedView view = VIEWS.decode(views.get(i + v).value());
                assertEquals(views.get(i).key(), view.getSampleId(), "views of a sample must be consecutive");
                assertEquals(views.get(i).key(), views.get(i + v).key());
                assertEquals(v, view.getViewIndex());
                counts.merge(view.getSampleId() + "@" + view.getEpoch() + "#" + v, 1, Integer::sum);
            }
        }
        assertEquals(80 * 2 * 3, counts.size());
        assertTrue(counts.values().stream().allMatch(c -> c == 1));
    }

    @Test
    void shouldSendTheSameViewsInTheSameOrderWhateverTheWorkerCount() {
        // with one worker the sending thread makes many chunks itself; with four it mostly waits: same stream
        List<String> reference = null;
        for (int workers : new int[] {1, 4}) {
            MockProducer<String, byte[]> mock = mock();
            ViewProducer p = ViewProducer.builder().setRunId("r").setDataset(DATA).optSchedule(TaskSchedule.split(10, 2))
                    .optEpochs(2).optViewCount(3).optSeed(7).optWorkers(workers).build();
            p.run(mock, "views", "control", null);
            List<String> sent = new ArrayList<>();
            for (ProducerRecord<String, byte[]> r : mock.history()) {
                if (r.topic().equals("views")) {
                    AugmentedView v = VIEWS.decode(r.value());
                    byte[] data = new byte[v.getTensor().getData().remaining()];
                    v.getTensor().getData().duplicate().get(data);
                    Example ex = DATA.get(Integer.parseInt(v.getSampleId().substring(v.getSampleId().lastIndexOf('/') + 1)));
                    assertEquals(ex.sampleId(), v.getSampleId());
                    assertTrue(java.util.Arrays.equals(ViewFactory.recreate(v, ex.image()), data),
                            "view " + v.getSampleId() + "#" + v.getViewIndex() + " is recreatable");
                    sent.add(r.key() + "@" + v.getEpoch() + "#" + v.getViewIndex() + ":" + v.getViewSeed() + ":"
                            + java.util.Arrays.hashCode(data));
                }
            }
            assertEquals(80 * 2 * 3, sent.size());
            if (reference == null) {
                reference = sent;
            } else {
                assertEquals(reference, sent, "workers = " + workers);
            }
        }
    }

    @Test
    void shouldSplitSamplesDisjointlyAcrossInstancesWithOnlyInstanceZeroAnnouncing() {
        Set<String> union = new HashSet<>();
        int total = 0;
        for (int i = 0; i < 3; i++) {
            MockProducer<String, byte[]> mock = mock();
            producer(i, 3, 0).run(mock, "views", "control", null);
            long control = mock.history().stream().filter(r -> r.topic().equals("control")).count();
            assertEquals(i == 0 ? 4 : 0, control);
            for (ProducerRecord<String, byte[]> r : mock.history()) {
                if (r.topic().equals("views")) {
                    AugmentedView v = VIEWS.decode(r.value());
                    assertTrue(union.add(v.getSampleId() + "@" + v.getEpoch() + "#" + v.getViewIndex()));
                    total++;
                }
            }
        }
        assertEquals(80 * 2 * 3, total);
        assertEquals(80 * 2 * 3, union.size());
    }

    @Test
    void shouldLimitSamplesPerTaskAcrossInstances() {
        MockProducer<String, byte[]> mock = mock();
        ProduceSummary summary = producer(0, 1, 5).run(mock, "views", "control", null);
        assertEquals(2 * 5 * 2 * 3, summary.recordsSent());
        TaskEvent start = TASKS.decode(mock.history().get(0).value());
        assertEquals(5, start.getSampleCount());
    }

    @Test
    void shouldStopNamingTheIndexOfAWrongSizedImageWithoutSendingAnyOfItsViews() {
        Dataset broken = new BrokenAt(DATA, 13);
        MockProducer<String, byte[]> mock = mock();
        ViewProducer p = ViewProducer.builder().setRunId("r").setDataset(broken).optSchedule(TaskSchedule.joint(10))
                .optViewCount(2).optWorkers(1).build();
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> p.run(mock, "views", "control", null));
        assertEquals(13, e.index());
        assertTrue(e.getMessage().contains("synthetic/train"), e.getMessage());
        Map<String, Integer> perSample = new HashMap<>();
        mock.history().stream().filter(r -> r.topic().equals("views")).forEach(r -> perSample.merge(r.key(), 1,
                Integer::sum));
        assertTrue(perSample.values().stream().allMatch(c -> c == 2), "a sample got some but not all views");
        assertTrue(!perSample.containsKey(DATA.sampleId(13)));
    }

    @Test
    void shouldRejectValuesOutsideTheUnitRangeUnlessTheDatasetGuaranteesThem() {
        Dataset checked = new OutOfRangeAt(DATA, 21, false);
        ViewProducer p = ViewProducer.builder().setRunId("r").setDataset(checked).optSchedule(TaskSchedule.joint(10))
                .optViewCount(2).optWorkers(1).build();
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> p.run(mock(), "views", "control", null));
        assertEquals(21, e.index());
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
        // a dataset that declares its values in range (8-bit pixels) is trusted: its samples are not scanned again
        Dataset trusted = new OutOfRangeAt(DATA, 21, true);
        ProduceSummary s = ViewProducer.builder().setRunId("r").setDataset(trusted).optSchedule(TaskSchedule.joint(10))
                .optViewCount(2).optWorkers(1).build().run(mock(), "views", "control", null);
        assertEquals(ProduceSummary.Outcome.COMPLETED, s.outcome());
        assertEquals(80 * 2, s.recordsSent());
    }

    @Test
    void shouldReturnStoppedWhenStoppedFromTheProgressListener() {
        MockProducer<String, byte[]> mock = mock();
        ViewProducer p = ViewProducer.builder().setRunId("r").setDataset(new SyntheticShapes("train", 3000, 1, 8, 8, 1L))
                .optSchedule(TaskSchedule.split(10, 2)).optViewCount(2).optWorkers(1).build();
        ProduceSummary s = p.run(mock, "views", "control", progress -> p.stop());
        assertEquals(ProduceSummary.Outcome.STOPPED, s.outcome());
        assertTrue(s.recordsSent() < 3000 * 2, "stopped early: " + s.recordsSent());
    }

    @Test
    void shouldStopBetweenSamplesEvenWhenRateLimited() throws Exception {
        MockProducer<String, byte[]> mock = mock();
        ViewProducer p = ViewProducer.builder().setRunId("r").setDataset(DATA).optSchedule(TaskSchedule.joint(10))
                .optViewCount(2).optRateLimit(20).optWorkers(1).build();
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            p.stop();
        });
        stopper.start();
        long start = System.nanoTime();
        ProduceSummary s = p.run(mock, "views", "control", null);
        double seconds = (System.nanoTime() - start) / 1e9;
        stopper.join();
        assertEquals(ProduceSummary.Outcome.STOPPED, s.outcome());
        // a chunk of 16 samples is 1.6 s of views at 20/s: stopping mid-chunk must not wait for it
        assertTrue(seconds < 1.2, "stop took " + seconds + " s");
        assertEquals(0, s.recordsSent() % 2, "a sample got only some of its views");
        assertEquals(s.recordsSent(), mock.history().stream().filter(r -> r.topic().equals("views")).count());
        assertEquals(s.recordsSent() / 2, s.samplesSent());
    }

    /** A dataset answering from {@link #inner()} except where a fixture overrides (not {@code imagesInUnitRange}). */
    private interface Forwarding extends Dataset {
        Dataset inner();

        @Override default String name() { return inner().name(); }
        @Override default String split() { return inner().split(); }
        @Override default int size() { return inner().size(); }
        @Override default List<String> classNames() { return inner().classNames(); }
        @Override default int channels() { return inner().channels(); }
        @Override default int height() { return inner().height(); }
        @Override default int width() { return inner().width(); }
        @Override default int label(int i) { return inner().label(i); }
    }

    /** A dataset whose example at {@code bad} has a value of 1.5, declaring (or not) its values in [0, 1]. */
    private record OutOfRangeAt(Dataset inner, int bad, boolean claimsUnitRange) implements Forwarding {
        @Override public boolean imagesInUnitRange() { return claimsUnitRange; }

        @Override
        public Example get(int i) {
            Example e = inner.get(i);
            if (i != bad) {
                return e;
            }
            float[] pixels = e.image().pixels().clone();
            pixels[3] = 1.5f;
            return new Example(i, e.sampleId(), e.label(), new Image(e.image().channels(), e.image().height(),
                    e.image().width(), pixels));
        }
    }

    /** A dataset whose example at {@code bad} has the wrong image size. */
    private record BrokenAt(Dataset inner, int bad) implements Forwarding {

        @Override
        public Example get(int i) {
            Example e = inner.get(i);
            return i == bad ? new Example(i, e.sampleId(), e.label(), new Image(1, 2, 2, new float[4])) : e;
        }
    }
}
