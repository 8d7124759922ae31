package io.contrastream.producers.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * A token bucket rate limiter for one thread: {@code rate} tokens per second with a burst of a tenth of a second
 * (at least one token). A rate of 0 means unlimited.
 */
public final class TokenBucket {

    private final double ratePerNano;
    private final double capacity;
    private double tokens;
    private long last;

    /** @param perSecond tokens per second; 0 for unlimited */
    public TokenBucket(double perSecond) {
        if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate limit must be >= 0 per second (0 = unlimited), got " + perSecond);
        }
        this.ratePerNano = perSecond / 1e9;
        this.capacity = Math.max(1.0, perSecond / 10);
        this.tokens = capacity;
        this.last = System.nanoTime();
    }

    /** Blocks until one token is available, then takes it; returns at once when unlimited. */
    public void acquire() {
        if (ratePerNano == 0) {
            return;
        }
        while (true) {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - last) * ratePerNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return;
            }
            LockSupport.parkNanos((long) ((1 - tokens) / ratePerNano));
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }
}
