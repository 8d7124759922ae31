package io.contrastream.experiments;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DemoPipelineTest {

    private static DemoPipeline.Config config(int maxTestSamples, int fastQueries) {
        Path dir = Path.of("unused");
        return new DemoPipeline.Config("synthetic", dir, dir, dir, "run", "0,1", 96, 1, 16, 4, 0, 0, maxTestSamples,
                fastQueries, -1, 7);
    }

    @Test
    void shouldPointAtTheSampledLeaderboardOnlyWhenQueriesCanBeSampled() {
        assertFalse(DemoPipeline.samplesQueries(config(2000, 2000)), "the demo's defaults score every sample");
        assertFalse(DemoPipeline.samplesQueries(config(500, 2000)));
        assertFalse(DemoPipeline.samplesQueries(config(0, 0)), "0 = every sample a query");
        assertTrue(DemoPipeline.samplesQueries(config(5000, 2000)));
        assertTrue(DemoPipeline.samplesQueries(config(0, 2000)), "whole test split, 2000 queries");
    }
}
