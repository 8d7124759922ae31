package io.contrastream.trainer.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.data.Image;
import io.contrastream.data.augment.AugmentationPipeline;
import io.contrastream.data.augment.AugmentationPresets;
import io.contrastream.trainer.engine.TrainBatch;
import io.contrastream.model.replay.ReplayBuffer;
import io.contrastream.model.replay.ReplayConfig;
import io.contrastream.model.replay.ReplayPolicy;
import io.contrastream.model.replay.ReplaySample;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchComposerTest {
    private static final int C = 1;
    private static final int H = 8;
    private static final int W = 8;
    private static final AugmentationPipeline DIGITS = AugmentationPipeline.of(AugmentationPresets.forDigits());

    private static ReplaySample sample(int i, int label) {
        float[] p = new float[C * H * W];
        for (int j = 0; j < p.length; j++) {
            p[j] = ((i * 31 + j * 7) % 256) / 255f;
        }
        return new ReplaySample("s" + i, label, 0, new Image(C, H, W, p));
    }

    private static ReplayBuffer buffer(int samples) {
        ReplayBuffer buffer = ReplayBuffer.create(new ReplayConfig("run", 16, ReplayPolicy.RESERVOIR, C, H, W, 2));
        for (int i = 0; i < samples; i++) {
            buffer.offer(sample(100 + i, 9));
        }
        return buffer;
    }

    private static BatchComposer composer(double ratio) {
        return BatchComposer.builder().setPipeline(DIGITS).setViews(2).setBaseSeed(77).optReplayRatio(ratio).build();
    }

    private static List<ReplaySample> current(int b) {
        List<ReplaySample> out = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            out.add(sample(i, i % 2));
        }
        return out;
    }

    @Test
    void shouldReplayRoundedRatioOfTheBatchAndMaskOnlyReplayedSamples() {
        // B = 8, ratio 0.5 -> R = round(4.0) = 4; B = 5, ratio 0.3 -> R = round(1.5) = 2;
        // empty buffer -> R = 0; buffer of 3 with B = 8, ratio 1 -> R = min(8, 3) = 3.
        Composition half = composer(0.5).compose(current(8), buffer(10), 1);
        assertEquals(12, half.samples().size());
        assertEquals(4, half.replayed());
        boolean[] expectedMask = new boolean[12];
        Arrays.fill(expectedMask, 8, 12, true);
        assertArrayEquals(expectedMask, half.rehearsalMask());
        assertEquals(current(8), half.samples().subList(0, 8));
        assertTrue(half.samples().subList(8, 12).stream().allMatch(s -> s.label() == 9));

        assertEquals(2, composer(0.3).compose(current(5), buffer(10), 1).replayed());
        Composition none = composer(0.5).compose(current(8), buffer(0), 1);
        assertEquals(8, none.samples().size());
        assertFalse(contains(none.rehearsalMask()));
        assertEquals(3, composer(1.0).compose(current(8), buffer(3), 1).replayed());
        assertEquals(0, composer(0.0).compose(current(8), buffer(10), 1).replayed());
    }

    @Test
    void shouldLayOutComposedTrainBatchViewMajorWithFreshReplayViews() {
        BatchComposer composer = composer(0.5);
        int b = 4;
        int size = C * H * W;
        float[] currentPixels = new float[2 * b * size];
        for (int k = 0; k < currentPixels.length; k++) {
            currentPixels[k] = k;
        }
        TrainBatch current = TrainBatch.builder().setViews(2).setBatchSize(b).setSampleShape(C, H, W)
                .setPixels(currentPixels).optLabels(new long[] {0, 1, 0, 1}).build();
        ReplayBuffer buffer = buffer(10);

        TrainBatch out = composer.compose(current, buffer, 5);

        assertEquals(6, out.batchSize());
        assertEquals(2, out.views());
        assertArrayEquals(new long[] {0, 1, 0, 1, 9, 9}, out.labels().orElseThrow());
        assertArrayEquals(new boolean[] {false, false, false, false, true, true}, out.rehearsalMask().orElseThrow());
        float[] px = out.pixels();
        for (int v = 0; v < 2; v++) {
            assertArrayEquals(Arrays.copyOfRange(currentPixels, v * b * size, (v + 1) * b * size),
                    Arrays.copyOfRange(px, v * 6 * size, (v * 6 + b) * size), "current part of view " + v);
        }
        // The replayed samples are exactly the draw compose(List) makes, with views from the augmentation hook.
        List<ReplaySample> replayed = composer.compose(current(b), buffer, 5).samples().subList(b, b + 2);
        for (int j = 0; j < 2; j++) {
            float[] views = composer.freshViews(replayed.get(j), 5);
            for (int v = 0; v < 2; v++) {
                assertArrayEquals(Arrays.copyOfRange(views, v * size, (v + 1) * size),
                        Arrays.copyOfRange(px, (v * 6 + b + j) * size, (v * 6 + b + j + 1) * size),
                        "replayed sample " + j + " view " + v);
            }
        }
    }

    @Test
    void shouldAugmentReplayedSamplesAfreshEachDrawButReproducibly() throws IOException {
        ReplaySample s = sample(3, 1);
        BatchComposer composer = composer(0.5);

        float[] draw1 = composer.freshViews(s, 1);
        float[] draw2 = composer.freshViews(s, 2);
        float[] draw1Again = composer(0.5).freshViews(s, 1);

        assertFalse(Arrays.equals(draw1, draw2), "views of draw 1 and draw 2 must differ");
        assertArrayEquals(draw1, draw1Again);
        int size = C * H * W;
        assertFalse(Arrays.equals(Arrays.copyOfRange(draw1, 0, size), Arrays.copyOfRange(draw1, size, 2 * size)),
                "the two views of one draw must differ");

        // A whole composed batch is reproducible from a restored buffer and the same draw counter.
        ReplayBuffer buffer = buffer(12);
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        buffer.writeTo(saved);
        ReplayBuffer restored = ReplayBuffer.readFrom(new ByteArrayInputStream(saved.toByteArray()));
        TrainBatch a = composer.toTrainBatch(composer.compose(current(6), buffer, 42));
        TrainBatch b = composer(0.5).toTrainBatch(composer(0.5).compose(current(6), restored, 42));
        assertArrayEquals(a.pixels(), b.pixels());
        assertArrayEquals(a.labels().orElseThrow(), b.labels().orElseThrow());
        TrainBatch c = composer.toTrainBatch(composer.compose(current(6), buffer, 43));
        assertFalse(Arrays.equals(a.pixels(), c.pixels()));
    }

    @Test
    void shouldRejectCurrentBatchWithOtherViewCountNamingTheSetting() {
        TrainBatch current = TrainBatch.builder().setViews(3).setBatchSize(1).setSampleShape(C, H, W)
                .setPixels(new float[3 * C * H * W]).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> composer(0.5).compose(current, buffer(2), 0));
        assertTrue(e.getMessage().contains("setViews(3)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> composer(-0.1));
    }

    private static boolean contains(boolean[] mask) {
        for (boolean m : mask) {
            if (m) {
                return true;
            }
        }
        return false;
    }
}
