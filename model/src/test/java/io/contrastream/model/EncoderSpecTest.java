package io.contrastream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncoderSpecTest {

    @Test
    void shouldRoundTripThroughStringMap() {
        EncoderSpec spec = new EncoderSpec(EncoderSpec.Kind.RESNET, new int[] {3, 32, 32}, List.of(16, 32, 64), 128, 32);
        Map<String, String> map = spec.toMap();
        assertEquals("RESNET", map.get("kind"));
        assertEquals("3,32,32", map.get("inputShape"));
        assertEquals("16,32,64", map.get("hiddenSizes"));
        assertEquals(spec, EncoderSpec.fromMap(map));
    }

    @Test
    void shouldNameUnknownKind() {
        Map<String, String> map = new HashMap<>(EncoderSpec.mnistMlp().toMap());
        map.put("kind", "TRANSFORMER");
        UnknownEncoderKindException e = assertThrows(UnknownEncoderKindException.class, () -> EncoderSpec.fromMap(map));
        assertEquals("TRANSFORMER", e.kind());
        assertEquals(true, e.getMessage().contains("TRANSFORMER"));
    }

    @Test
    void shouldNameMissingAndMalformedFields() {
        Map<String, String> missing = new HashMap<>(EncoderSpec.mnistMlp().toMap());
        missing.remove("projectionDim");
        assertEquals("projectionDim",
                assertThrows(InvalidEncoderSpecException.class, () -> EncoderSpec.fromMap(missing)).field());
        Map<String, String> malformed = new HashMap<>(EncoderSpec.mnistMlp().toMap());
        malformed.put("inputShape", "1,x,28");
        assertEquals("inputShape",
                assertThrows(InvalidEncoderSpecException.class, () -> EncoderSpec.fromMap(malformed)).field());
    }

    @Test
    void shouldRejectInvalidValues() {
        assertEquals("inputShape", assertThrows(InvalidEncoderSpecException.class,
                () -> new EncoderSpec(EncoderSpec.Kind.MLP, new int[] {28, 28}, List.of(8), 4, 2)).field());
        assertEquals("hiddenSizes", assertThrows(InvalidEncoderSpecException.class,
                () -> new EncoderSpec(EncoderSpec.Kind.MLP, new int[] {1, 2, 2}, List.of(8, 0), 4, 2)).field());
        assertEquals("embeddingDim", assertThrows(InvalidEncoderSpecException.class,
                () -> new EncoderSpec(EncoderSpec.Kind.MLP, new int[] {1, 2, 2}, List.of(8), 0, 2)).field());
        assertEquals("hiddenSizes", assertThrows(InvalidEncoderSpecException.class,
                () -> new EncoderSpec(EncoderSpec.Kind.CNN, new int[] {1, 4, 4}, List.of(2, 2, 2), 4, 2)).field());
    }

    @Test
    void shouldNotExposeMutableShape() {
        int[] shape = {1, 28, 28};
        EncoderSpec spec = new EncoderSpec(EncoderSpec.Kind.MLP, shape, List.of(8), 4, 2);
        shape[0] = 3;
        spec.inputShape()[1] = 5;
        assertEquals(784, spec.inputSize());
    }
}
