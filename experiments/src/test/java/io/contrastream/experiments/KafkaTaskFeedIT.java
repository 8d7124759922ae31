package io.contrastream.experiments;

import io.contrastream.data.DatasetCatalog;
import io.contrastream.infra.testing.SharedKafka;
import io.contrastream.model.EncoderSpec;
import io.contrastream.trainer.optim.OptimizerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaTaskFeedIT {
    static {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    @Test
    void shouldLearnExactlyAsFromMemoryWhenTheTasksStreamThroughTheBroker(@TempDir Path dataDir) {
        ContinualExperimentConfig config = ContinualExperimentConfig.builder().setDataset("synthetic")
                .optTaskSplit("0,7;8,5")
                .optEncoder(new EncoderSpec(EncoderSpec.Kind.MLP, new int[] {1, 28, 28}, List.of(64), 32, 16))
                .optEpochsPerTask(1).optOptimizer(OptimizerConfig.adam(3e-3f)).optBatchSize(64).optBufferSize(100)
                .optAugmentation("digits").optFwtProbePerClass(5).optSeed(11).build();
        DatasetCatalog catalog = new DatasetCatalog(dataDir);

        ContinualResult viaKafka = ContinualRun.runOnKafka(config, catalog, SharedKafka.cluster(), new ContinualListener() { });
        ContinualResult inMemory = ContinualRun.runInMemory(config, catalog, new ContinualListener() { });

        assertTrue(viaKafka.steps() > 0);
        assertEquals(inMemory.steps(), viaKafka.steps(), "every streamed sample trained once");
        for (int i = 0; i < inMemory.accuracy().length; i++) {
            assertArrayEquals(inMemory.accuracy()[i], viaKafka.accuracy()[i], 0.0,
                    "one partition keeps the producer's order, so the learner sees the same batches: row " + i);
        }
        assertEquals(inMemory.bufferByClass(), viaKafka.bufferByClass());
    }
}
