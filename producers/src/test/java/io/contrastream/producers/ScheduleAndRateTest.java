package io.contrastream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.producers.internal.TokenBucket;
import org.junit.jupiter.api.Test;

class ScheduleAndRateTest {

    @Test
    void shouldParseEverySchedulesForm() {
        assertEquals("0,1;2,3;4,5;6,7;8,9", ViewProducer.parseSchedule("5x2", 10, 0).format());
        assertEquals("0,1,2,3,4,5,6,7,8,9", ViewProducer.parseSchedule("joint", 10, 0).format());
        assertEquals("1,3;0,2", ViewProducer.parseSchedule("3,1;0,2", 4, 0).format());
        assertEquals(5, ViewProducer.parseSchedule("shuffled:5x2", 10, 7).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ViewProducer.parseSchedule("4x2", 10, 0));
        assertTrue(e.getMessage().contains("4x2") && e.getMessage().contains("10"), e.getMessage());
    }

    @Test
    void shouldThrottleToTheRateAfterTheBurst() {
        TokenBucket bucket = new TokenBucket(1000);
        long start = System.nanoTime();
        for (int i = 0; i < 300; i++) {
            bucket.acquire();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // burst of 100 tokens, then 200 at 1000/s: at least 0.2 s
        assertTrue(seconds >= 0.18, "took " + seconds + " s");
    }

    @Test
    void shouldNotWaitWhenUnlimited() {
        TokenBucket bucket = new TokenBucket(0);
        long start = System.nanoTime();
        for (int i = 0; i < 100_000; i++) {
            bucket.acquire();
        }
        assertTrue((System.nanoTime() - start) / 1e9 < 1.0);
    }
}
