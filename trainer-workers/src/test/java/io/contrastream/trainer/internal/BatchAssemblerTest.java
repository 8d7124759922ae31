package io.contrastream.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.contrastream.trainer.ViewFixtures;
import io.contrastream.trainer.ViewLocation;
import io.contrastream.trainer.engine.TrainBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchAssemblerTest {
    private static BufferedView view(String sample, int index, float value) {
        float[] pixels = new float[4];
        java.util.Arrays.fill(pixels, value);
        return new BufferedView(new ViewLocation("v", 0, 0), null, null,
                ViewFixtures.view("r", sample, index, null, new int[] {1, 2, 2}, pixels));
    }

    @Test
    void shouldLayOutPixelsViewMajor() {
        // samples a (views 1.0, 2.0) and b (views 3.0, 4.0), 4 pixels each:
        // view-major = a.v0, b.v0, a.v1, b.v1 = 1 1 1 1 3 3 3 3 2 2 2 2 4 4 4 4
        AssembledSample a = new AssembledSample("a", 0, 0, List.of(view("a", 0, 1f), view("a", 1, 2f)));
        AssembledSample b = new AssembledSample("b", 0, 0, List.of(view("b", 0, 3f), view("b", 1, 4f)));
        TrainBatch batch = BatchAssembler.assemble(List.of(a, b), 2, new int[] {1, 2, 2});
        assertArrayEquals(new float[] {1, 1, 1, 1, 3, 3, 3, 3, 2, 2, 2, 2, 4, 4, 4, 4}, batch.pixels());
        assertEquals(2, batch.batchSize());
        assertArrayEquals(new long[] {"a".hashCode() & 7, "b".hashCode() & 7}, batch.labels().orElseThrow());
    }
}
