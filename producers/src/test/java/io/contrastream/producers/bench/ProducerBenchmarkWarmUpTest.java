package io.contrastream.producers.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProducerBenchmarkWarmUpTest {

    private static final long DEADLINE = 1_000L;

    @Test
    void shouldEndOnlyAfterTwoQuietPairsInARow() {
        ProducerBenchmark.WarmUp w = new ProducerBenchmark.WarmUp(1, DEADLINE);
        assertFalse(w.done(0), "no pair yet");
        w.pair(0.30);
        assertFalse(w.done(0));
        w.pair(0.01);
        assertFalse(w.done(0), "one quiet pair is not enough");
        w.pair(0.20);
        w.pair(0.04);
        assertFalse(w.done(0), "a busy pair resets the count");
        w.pair(0.049);
        assertTrue(w.quiet());
        assertTrue(w.done(0));
        assertEquals(5, w.pairs());
    }

    @Test
    void shouldRunAtLeastTheLeastNumberOfPairsEvenWhenQuiet() {
        ProducerBenchmark.WarmUp w = new ProducerBenchmark.WarmUp(4, DEADLINE);
        w.pair(0);
        w.pair(0);
        w.pair(0);
        assertFalse(w.done(0));
        assertFalse(w.done(DEADLINE + 1), "the time cap does not cut the least number of pairs");
        w.pair(0);
        assertTrue(w.done(0));
    }

    @Test
    void shouldStopAtTheTimeCapWhenTheJitNeverGoesQuiet() {
        ProducerBenchmark.WarmUp w = new ProducerBenchmark.WarmUp(2, DEADLINE);
        w.pair(0.5);
        w.pair(0.05);
        assertFalse(w.done(DEADLINE - 1), "5% is not under 5%");
        assertTrue(w.done(DEADLINE));
        assertFalse(w.quiet());
    }
}
