package io.contrastream.producers.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import io.contrastream.model.ContrastiveEncoder;
import io.contrastream.model.EncoderSpec;
import io.contrastream.model.Encoders;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PoolProjectionsTest {

    private static final EncoderSpec SPEC = new EncoderSpec(EncoderSpec.Kind.MLP, new int[] {1, 8, 8}, List.of(16),
            12, 6);

    @Test
    void shouldBeUnitProjectionsWhoseBlocksAreTheirDotProducts() {
        Random random = new Random(3);
        float[][] images = new float[11][64];
        for (float[] image : images) {
            for (int k = 0; k < image.length; k++) {
                image[k] = random.nextFloat();
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            ContrastiveEncoder encoder = Encoders.build(SPEC).initialize(manager, 7);
            // batch 4 does not divide 11: the last forward pass is partial
            try (PoolProjections pool = PoolProjections.of(manager, encoder, images, 4)) {
                float[] flat = pool.toFloatArray();
                float[][] rows = new float[11][6];
                for (int i = 0; i < 11; i++) {
                    System.arraycopy(flat, i * 6, rows[i], 0, 6);
                    double norm = 0;
                    for (float v : rows[i]) {
                        norm += v * v;
                    }
                    assertEquals(1.0, norm, 1e-5, "row " + i);
                }
                // the direction is the head's output for that image alone
                float[] single = encoder.project(manager.create(images[9], encoder.inputShape(1))).toFloatArray();
                double n9 = 0;
                for (float v : single) {
                    n9 += v * v;
                }
                for (int k = 0; k < 6; k++) {
                    assertEquals(single[k] / Math.sqrt(n9), rows[9][k], 1e-5);
                }
                float[] expected = HardNegativeKernel.dot(rows).block(3, 5);
                assertArrayEquals(expected, pool.block(3, 5), 1e-5f);
                assertEquals(5 * 11, pool.block(3, 5).length);
            }
        }
    }
}
