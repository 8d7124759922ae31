package io.contrastream.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.eval.metrics.MetricSuite;
import io.contrastream.infra.TopicCatalog;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluatorConfigTest {

    private static final TopicCatalog CATALOG = new TopicCatalog("cs", 2, (short) 1);

    @Test
    void shouldDeriveGroupAndTransactionalIdFromPrefixSuiteAndInstance() {
        EvaluatorConfig c = EvaluatorConfig.builder().setSuite(MetricSuite.fast()).setDataset("synthetic")
                .optInstanceId("3").build();
        assertEquals("cs.eval.fast", c.groupId(CATALOG));
        assertEquals("cs.eval.fast.3", c.transactionalId(CATALOG));
        assertEquals(10_000, c.trainSubsetSize());
        assertEquals(500, c.robustnessSubsetSize());
        assertEquals(Integer.MAX_VALUE, c.maxTestSamples());
    }

    @Test
    void shouldUseItsOwnGroupWhenFilteringOneRun() {
        EvaluatorConfig c = EvaluatorConfig.builder().setSuite(MetricSuite.full()).setDataset("synthetic")
                .optRunId("run/1").build();
        assertEquals("cs.eval.full.run_1", c.groupId(CATALOG));
    }

    @Test
    void shouldApplyEpsilonsAndSeedToTheSuite() {
        EvaluatorConfig c = EvaluatorConfig.builder().setSuite(MetricSuite.full()).setDataset("synthetic")
                .optRobustnessEpsilons(List.of(0.0, 0.1)).optSeed(9).build();
        assertEquals(List.of(0.0, 0.1), c.effectiveSuite().adversarial().epsilons());
        assertEquals(9, c.effectiveSuite().seed());
    }

    @Test
    void shouldRejectInvalidFieldsNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EvaluatorConfig.builder()
                .setSuite(MetricSuite.fast()).setDataset("imagenet").build());
        assertTrue(e.getMessage().contains("dataset"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EvaluatorConfig.builder().setSuite(MetricSuite.fast())
                .setDataset("synthetic").optRobustnessEpsilons(List.of(2.0)).build());
        assertThrows(IllegalArgumentException.class, () -> EvaluatorConfig.builder().setSuite(MetricSuite.fast())
                .setDataset("synthetic").optBatchSize(0).build());
        assertThrows(IllegalArgumentException.class, () -> EvaluatorConfig.builder().setDataset("synthetic")
                .build());
    }

    @Test
    void shouldApplyAndValidateTheQueryCount() {
        assertEquals(MetricSuite.DEFAULT_FAST_QUERIES, EvaluatorConfig.builder().setSuite(MetricSuite.fast())
                .setDataset("synthetic").build().effectiveSuite().queries());
        EvaluatorConfig c = EvaluatorConfig.builder().setSuite(MetricSuite.fast()).setDataset("synthetic")
                .optQueries(500).optSeed(4).build();
        assertEquals(500, c.effectiveSuite().queries());
        assertEquals(4L, c.effectiveSuite().seed());
        assertEquals(MetricSuite.ALL_QUERIES, EvaluatorConfig.builder().setSuite(MetricSuite.fast())
                .setDataset("synthetic").optQueries(0).build().suite().queries());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EvaluatorConfig.builder()
                .setSuite(MetricSuite.fast()).setDataset("synthetic").optQueries(-1).build());
        assertTrue(e.getMessage().contains("EvaluatorConfig.queries -1"), e.getMessage());
    }
}
