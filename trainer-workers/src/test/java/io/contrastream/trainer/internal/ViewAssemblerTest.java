package io.contrastream.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.DType;
import io.contrastream.trainer.ViewFixtures;
import io.contrastream.trainer.ViewLocation;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ViewAssemblerTest {
    private static BufferedView buffered(AugmentedView view, int partition, long offset) {
        return new BufferedView(new ViewLocation("views", partition, offset), null, null, view);
    }

    @Test
    void shouldCompleteASampleWhenAllViewsArriveInAnyOrder() {
        ViewAssembler assembler = new ViewAssembler(2, 1000);
        assertInstanceOf(ViewAssembler.Added.Waiting.class,
                assembler.add(buffered(ViewFixtures.view("r", "s1", 1, null, 0.5f), 0, 0), 0));
        assertInstanceOf(ViewAssembler.Added.Waiting.class,
                assembler.add(buffered(ViewFixtures.view("r", "s2", 0, null, 0.1f), 0, 1), 0));
        ViewAssembler.Added added = assembler.add(buffered(ViewFixtures.view("r", "s1", 0, null, 0.2f), 0, 2), 0);
        AssembledSample sample = assertInstanceOf(ViewAssembler.Added.Completed.class, added).sample();
        assertEquals("s1", sample.sampleId());
        assertEquals(0, sample.views().get(0).view().getViewIndex());
        assertEquals(2, sample.views().get(0).location().offset());
        assertEquals(1, sample.views().get(1).view().getViewIndex());
        assertEquals(1, assembler.incompleteSamples());
    }

    @Test
    void shouldReportADuplicateViewIndexWithoutReplacingTheFirst() {
        ViewAssembler assembler = new ViewAssembler(2, 1000);
        assembler.add(buffered(ViewFixtures.view("r", "s1", 0, null, 0.5f), 0, 0), 0);
        ViewAssembler.Added added = assembler.add(buffered(ViewFixtures.view("r", "s1", 0, null, 0.5f), 0, 7), 0);
        assertEquals(0, assertInstanceOf(ViewAssembler.Added.Duplicate.class, added).kept().location().offset());
    }

    @Test
    void shouldDropSamplesIncompleteAfterTheTimeoutButNotLaterTasks() {
        ViewAssembler assembler = new ViewAssembler(2, 1000);
        assembler.add(buffered(ViewFixtures.view("r", "old", 0, 0, 0.5f), 0, 0), 0);
        assembler.add(buffered(ViewFixtures.view("r", "future", 1, 1, 0.5f), 0, 1), 0);
        assembler.add(buffered(ViewFixtures.view("r", "young", 0, 0, 0.5f), 0, 2), 900);
        assertTrue(assembler.expire(1000, 0).isEmpty(), "exactly at the timeout nothing expires");
        List<ViewAssembler.Incomplete> expired = assembler.expire(1001, 0);
        assertEquals(List.of(new ViewAssembler.Incomplete("old", 0, 0, List.of(0))), expired);
        assembler.restartClock(1, 5000);
        assertTrue(assembler.expire(5000, 1).stream().noneMatch(i -> i.sampleId().equals("future")));
        assertEquals(List.of("future"), assembler.expire(6001, 1).stream()
                .filter(i -> i.taskId() == 1).map(ViewAssembler.Incomplete::sampleId).toList());
    }

    @Test
    void shouldDropBufferedViewsOfRevokedPartitions() {
        ViewAssembler assembler = new ViewAssembler(2, 1000);
        assembler.add(buffered(ViewFixtures.view("r", "a", 0, null, 0.5f), 0, 0), 0);
        assembler.add(buffered(ViewFixtures.view("r", "b", 0, null, 0.5f), 1, 0), 0);
        assertEquals(1, assembler.dropPartitions(List.of(new TopicPartition("views", 1))));
        assertEquals(List.of("a"), assembler.bufferedViews().stream().map(v -> v.view().getSampleId()).toList());
    }

    @Test
    void shouldNameEachValidationFailure() {
        int[] shape = ViewFixtures.SHAPE;
        AugmentedView good = ViewFixtures.view("r", "s", 0, null, 0.5f);
        assertInstanceOf(ViewCheck.Valid.class, ViewCheck.of(good, "r", 2, shape));
        assertInstanceOf(ViewCheck.OtherRun.class, ViewCheck.of(good, "other", 2, shape));
        assertReason("viewIndex 2 outside [0, 2)", ViewFixtures.view("r", "s", 2, null, 0.5f), shape);
        AugmentedView wrongShape = ViewFixtures.view("r", "s", 0, null, new int[] {1, 4, 4}, new float[16]);
        assertReason("tensor shape [1, 4, 4] does not match the encoder input [1, 8, 8]", wrongShape, shape);
        AugmentedView uint8 = AugmentedView.newBuilder(good).build();
        uint8.getTensor().setDtype(DType.UINT8);
        assertReason("tensor dtype UINT8, expected FLOAT32", uint8, shape);
        AugmentedView shortData = AugmentedView.newBuilder(good).build();
        shortData.getTensor().setData(ByteBuffer.allocate(10));
        assertReason("tensor data has 10 bytes, expected 4*C*H*W = 256", shortData, shape);
        float[] pixels = new float[64];
        pixels[17] = Float.NaN;
        assertReason("non-finite pixel NaN at index 17", ViewFixtures.view("r", "s", 0, null, shape, pixels), shape);
    }

    private static void assertReason(String reason, AugmentedView view, int[] shape) {
        assertEquals(reason, assertInstanceOf(ViewCheck.Invalid.class, ViewCheck.of(view, "r", 2, shape)).reason());
    }
}
