package io.contrastream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.data.SyntheticShapes;
import io.contrastream.infra.TopicCatalog;
import org.junit.jupiter.api.Test;

class HardNegativeMinerConfigTest {

    private static final SyntheticShapes TRAIN = new SyntheticShapes("train", 50, 1, 8, 8, 0);

    @Test
    void shouldDefaultToTenThousandPoolSamplesAndEightNegativesInTheRunsOwnGroup() {
        HardNegativeMinerConfig config = HardNegativeMinerConfig.builder().setRunId("r1").setDataset(TRAIN).build();
        assertEquals(10_000, config.poolSize());
        assertEquals(8, config.negativesPerAnchor());
        assertEquals(50, config.effectivePoolSize());
        assertEquals("p.miner.r1", config.groupId(new TopicCatalog("p", 1, (short) 1)));
    }

    @Test
    void shouldNameTheInvalidField() {
        assertMessage("runId", () -> HardNegativeMinerConfig.builder().setDataset(TRAIN).build());
        assertMessage("dataset", () -> HardNegativeMinerConfig.builder().setRunId("r").build());
        assertMessage("train split", () -> HardNegativeMinerConfig.builder().setRunId("r")
                .setDataset(new SyntheticShapes("test", 5, 1, 8, 8, 0)).build());
        assertMessage("poolSize", () -> HardNegativeMinerConfig.builder().setRunId("r").setDataset(TRAIN)
                .optPoolSize(1).build());
        assertMessage("negativesPerAnchor", () -> HardNegativeMinerConfig.builder().setRunId("r").setDataset(TRAIN)
                .optNegativesPerAnchor(0).build());
        assertMessage("blockRows", () -> HardNegativeMinerConfig.builder().setRunId("r").setDataset(TRAIN)
                .optBlockRows(0).build());
        assertMessage("maxCheckpoints", () -> HardNegativeMinerConfig.builder().setRunId("r").setDataset(TRAIN)
                .optMaxCheckpoints(-1).build());
    }

    private static void assertMessage(String field, org.junit.jupiter.api.function.Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }
}
