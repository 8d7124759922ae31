package io.contrastream.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.infra.TopicCatalog;
import io.contrastream.model.EncoderSpec;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.trainer.HardNegativeSource;
import io.contrastream.trainer.TrainerConfig;
import io.contrastream.trainer.ViewFixtures;
import io.contrastream.trainer.ViewLocation;
import io.contrastream.trainer.engine.TrainBatch;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.optim.OptimizerConfig;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HardNegativesTest {
    private static final int SIZE = ViewFixtures.SHAPE[0] * ViewFixtures.SHAPE[1] * ViewFixtures.SHAPE[2];

    private static AssembledSample sample(String id, int label, float base, AugmentedView view0) {
        view0.setLabel(label);
        AugmentedView view1 = ViewFixtures.view("run", id, 1, null, base + 0.01f);
        view1.setLabel(label);
        ViewLocation at = new ViewLocation("v", 0, 0);
        return new AssembledSample(id, 0, 0, List.of(new BufferedView(at, null, null, view0),
                new BufferedView(at, null, null, view1)));
    }

    @Test
    void shouldCacheView0InsteadOfAnOriginalWithANonFinitePixel() {
        TrainerConfig config = TrainerConfig.builder().setRunId("run").setCatalog(new TopicCatalog("t", 1, (short) 1))
                .setCheckpointDir(Path.of("unused"))
                .setEncoder(new EncoderSpec(EncoderSpec.Kind.MLP, ViewFixtures.SHAPE, List.of(16), 8, 4))
                .setLoss(LossConfig.of("infonce", 0.5f)).setOptimizer(OptimizerConfig.adam(1e-3f)).setSeed(3)
                .optBatchSize(2).optHardNegatives(1).build();
        HardNegatives negatives = HardNegatives.of(config, HardNegativeSource.none()).orElseThrow();

        AugmentedView broken = ViewFixtures.withOriginal(ViewFixtures.view("run", "a", 0, null, 0.1f), 0.5f);
        broken.getOriginal().getData().duplicate().order(ByteOrder.LITTLE_ENDIAN).putFloat(4 * 3, Float.NaN);
        AssembledSample a = sample("a", 0, 0.1f, broken);
        AssembledSample b = sample("b", 1, 0.2f, ViewFixtures.withOriginal(ViewFixtures.view("run", "b", 0, null,
                0.2f), 0.7f));
        negatives.offer(List.of(a, b));

        TrainBatch batch = BatchAssembler.assemble(List.of(a, b), 2, ViewFixtures.SHAPE);
        HardNegatives.Attached attached = negatives.attach(batch, negatives.plan(List.of(a, b)), 1);
        float[] pixels = attached.batch().negativePixels().orElseThrow();
        // row a (label 0) gets b's original; row b (label 1) gets a's view 0, since a's original has a NaN
        assertEquals(0.7f, pixels[0], 1e-6f);
        assertEquals(0.1f + 3 / 1000f, pixels[SIZE + 3], 1e-6f);
        for (float p : pixels) {
            assertTrue(Float.isFinite(p));
        }
    }
}
