package io.contrastream.schemas.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.contrastream.schemas.AugmentationStep;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.DType;
import io.contrastream.schemas.Tensor;
import io.contrastream.schemas.codec.AugmentedViewWriter.Float32Image;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentedViewWriterTest {

    private static final EventCodec<AugmentedView> CODEC = EventCodec.of(AugmentedView.class);

    private static Float32Image image(SplittableRandom rng, int c, int h, int w) {
        float[] v = new float[c * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (rng.nextInt(6)) {
                case 0 -> 0f;
                case 1 -> -0f;
                case 2 -> 1f;
                case 3 -> Float.intBitsToFloat(rng.nextInt()); // any bits, NaN payloads included
                default -> rng.nextFloat();
            };
        }
        return new Float32Image(c, h, w, v);
    }

    private static Tensor tensor(Float32Image img) {
        ByteBuffer b = ByteBuffer.allocate(4 * img.values().length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(img.values());
        return new Tensor(DType.FLOAT32, List.of(img.channels(), img.height(), img.width()), ByteBuffer.wrap(b.array()));
    }

    @Test
    void shouldWriteTheSameBytesAsTheAvroEncoderOfTheEquivalentView() {
        SplittableRandom rng = new SplittableRandom(17);
        List<AugmentationStep> recipe = List.of(
                new AugmentationStep("random_resized_crop", 1.0, Map.of("scale_min", 0.5, "scale_max", 1.0)),
                new AugmentationStep("gaussian_noise_v2", 0.5, Map.of("sigma", 0.04)),
                new AugmentationStep("horizontal_flip", 0.5, Map.of()));
        for (List<AugmentationStep> steps : List.of(recipe, List.<AugmentationStep>of())) {
            for (String runId : List.of("run-1", "", "läuft-\u00e9\u4e2d")) {
                long seed = rng.nextLong();
                AugmentedViewWriter writer = new AugmentedViewWriter(runId, steps, seed);
                for (int t = 0; t < 200; t++) {
                    int[] shape = t % 3 == 0 ? new int[] {1, 28, 28} : new int[] {1 + rng.nextInt(3),
                            1 + rng.nextInt(40), 1 + rng.nextInt(40)};
                    Float32Image view = image(rng, shape[0], shape[1], shape[2]);
                    Float32Image original = t % 4 == 0 ? image(rng, shape[0], shape[1], shape[2]) : null;
                    String sampleId = t % 5 == 0 ? "ds/train/" + "\u00fc".repeat(t % 70) : "ds/train/" + t;
                    int viewIndex = t % 7 == 0 ? Integer.MAX_VALUE : rng.nextInt(100);
                    int viewCount = t % 11 == 0 ? Integer.MIN_VALUE : 1 + rng.nextInt(100_000);
                    int epoch = t % 13 == 0 ? -1 - rng.nextInt(1000) : rng.nextInt(1 << (t % 31));
                    Integer label = t % 2 == 0 ? null : rng.nextInt() >> rng.nextInt(32);
                    Integer taskId = t % 3 == 1 ? null : rng.nextInt(1 << (t % 31));
                    String dataset = t % 9 == 0 ? "" : "fashion-mnist";
                    long viewSeed = t % 17 == 0 ? Long.MIN_VALUE : rng.nextLong() >> rng.nextInt(64);
                    Instant at = Instant.ofEpochMilli(t % 19 == 0 ? -rng.nextLong(1L << 40) : rng.nextLong(1L << 42));
                    AugmentedView expected = new AugmentedView(runId, sampleId, viewIndex, viewCount, epoch, label,
                            taskId, dataset, tensor(view), steps, seed, viewSeed, at,
                            original == null ? null : tensor(original));
                    byte[] written = writer.write(sampleId, viewIndex, viewCount, epoch, label, taskId, dataset, view,
                            viewSeed, at, original);
                    assertArrayEquals(CODEC.encode(expected), written, "view " + t);
                    assertEquals(expected, CODEC.decode(written));
                }
            }
        }
    }

    @Test
    void shouldRejectAShapeThatDoesNotMatchTheValues() {
        assertThrows(IllegalArgumentException.class, () -> new Float32Image(1, 2, 3, new float[5]));
    }
}
