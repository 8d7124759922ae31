package io.contrastream.producers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.contrastream.data.Image;
import io.contrastream.data.SyntheticShapes;
import io.contrastream.data.augment.AugmentationPipeline;
import io.contrastream.data.augment.AugmentationPresets;
import io.contrastream.data.augment.ViewSeeds;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.DType;
import io.contrastream.schemas.codec.EventCodec;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewFactoryTest {

    private static final Image IMAGE = new SyntheticShapes("train", 4, 1, 12, 12, 3L).get(1).image();
    private final ViewFactory factory = new ViewFactory("run-1",
            AugmentationPipeline.of(AugmentationPresets.forDigits()), 42L);

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    @Test
    void shouldFillEveryFieldFromTheInputsAndDerivedSeed() {
        AugmentedView v = factory.view("synthetic", "s/1", 3, 1, IMAGE, 1, 2, 4);
        assertEquals("run-1", v.getRunId());
        assertEquals("s/1", v.getSampleId());
        assertEquals(1, v.getViewIndex());
        assertEquals(2, v.getViewCount());
        assertEquals(4, v.getEpoch());
        assertEquals(3, v.getLabel());
        assertEquals(1, v.getTaskId());
        assertEquals("synthetic", v.getDataset());
        assertEquals(42L, v.getSeed());
        assertEquals(ViewSeeds.derive(42L, "s/1", 1, 4), v.getViewSeed());
        assertEquals(DType.FLOAT32, v.getTensor().getDtype());
        assertEquals(List.of(1, 12, 12), v.getTensor().getShape());
        assertEquals(12 * 12 * 4, v.getTensor().getData().remaining());
        assertEquals(AugmentationPresets.forDigits().size(), v.getRecipe().size());
        assertEquals("random_resized_crop_affine", v.getRecipe().get(0).getName());
        assertEquals(0.5, v.getRecipe().get(0).getParams().get("scale_min"));
        byte[] expected = AugmentationPipeline.of(AugmentationPresets.forDigits())
                .apply(IMAGE, ViewSeeds.derive(42L, "s/1", 1, 4)).toFloat32LE();
        assertArrayEquals(expected, bytes(v.getTensor().getData()));
    }

    @Test
    void shouldWriteRecipeParametersInNameOrderSoTheBytesDoNotDependOnTheJvm() {
        for (io.contrastream.schemas.AugmentationStep step : factory.recipe()) {
            List<String> names = new java.util.ArrayList<>();
            step.getParams().keySet().forEach(k -> names.add(k.toString()));
            List<String> sorted = new java.util.ArrayList<>(names);
            java.util.Collections.sort(sorted);
            assertEquals(sorted, names, "parameter order of " + step.getName());
        }
    }

    @Test
    void shouldMakeIdenticalBytesForIdenticalInputsAndDifferentOnesPerView() {
        byte[] a = bytes(factory.view("d", "s/1", null, null, IMAGE, 0, 2, 0).getTensor().getData());
        byte[] b = bytes(factory.view("d", "s/1", null, null, IMAGE, 0, 2, 0).getTensor().getData());
        byte[] c = bytes(factory.view("d", "s/1", null, null, IMAGE, 1, 2, 0).getTensor().getData());
        byte[] e = bytes(factory.view("d", "s/1", null, null, IMAGE, 0, 2, 1).getTensor().getData());
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c), "view 0 and 1 must differ");
        assertFalse(Arrays.equals(a, e), "epoch 0 and 1 must differ");
        assertNull(factory.view("d", "s/1", null, null, IMAGE, 0, 2, 0).getLabel());
    }

    @Test
    void shouldRecreateTheViewBytesFromTheDecodedEventAndTheOriginal() {
        EventCodec<AugmentedView> codec = EventCodec.of(AugmentedView.class);
        for (AugmentedView v : factory.views("d", "s/9", 1, 0, IMAGE, 3, 2)) {
            AugmentedView decoded = codec.decode(codec.encode(v));
            assertArrayEquals(bytes(v.getTensor().getData()), ViewFactory.recreate(decoded, IMAGE));
        }
    }

    @Test
    void shouldRefuseToRecreateAViewWhoseSeedWasNotDerived() {
        AugmentedView v = factory.view("d", "s/1", 1, 0, IMAGE, 0, 2, 0);
        v.setViewSeed(v.getViewSeed() + 1);
        assertThrows(IllegalArgumentException.class, () -> ViewFactory.recreate(v, IMAGE));
    }

    @Test
    void shouldRejectViewIndexOutsideViewCount() {
        assertThrows(IllegalArgumentException.class, () -> factory.view("d", "s", 1, 0, IMAGE, 2, 2, 0));
    }

    @Test
    void shouldEncodeViewsDirectlyToTheBytesOfTheEncodedEvent() {
        EventCodec<AugmentedView> codec = EventCodec.of(AugmentedView.class);
        java.time.Instant at = java.time.Instant.parse("2026-11-27T23:00:00.123Z");
        ViewFactory withOriginal = new ViewFactory("run-2", AugmentationPipeline.of(AugmentationPresets.forDigits()),
                7L, true);
        for (ViewFactory f : List.of(factory, withOriginal)) {
            for (int v = 0; v < 3; v++) {
                for (Integer label : java.util.Arrays.asList(null, 4)) {
                    byte[] expected = codec.encode(f.view("d", "s/" + v, label, v == 1 ? null : v, IMAGE, v, 3, 2, at));
                    assertArrayEquals(expected, f.encodedView("d", "s/" + v, label, v == 1 ? null : v, IMAGE, v, 3, 2,
                            at), "view " + v + " label " + label);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> factory.encodedView("d", "s", null, null, IMAGE, 2, 2, 0));
    }
}
