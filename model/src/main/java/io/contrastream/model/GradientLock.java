package io.contrastream.model;

import java.util.concurrent.locks.ReentrantLock;

/**
 * DJL's PyTorch engine allows one open {@code GradientCollector} per process (a static flag in
 * {@code PtGradientCollector}); a second one, e.g. an evaluator's adversarial attack while a trainer steps in
 * the same JVM, fails. Every gradient computation in this project holds this lock while its collector is open.
 *
 * <pre>{@code
 * try (GradientLock.Held held = GradientLock.acquire();
 *      GradientCollector collector = Engine.getInstance().newGradientCollector()) { ... }
 * }</pre>
 */
public final class GradientLock {
    private static final ReentrantLock LOCK = new ReentrantLock(true);

    private GradientLock() {
    }

    /** Blocks until no other thread computes gradients; release by closing the result. */
    public static Held acquire() {
        LOCK.lock();
        return LOCK::unlock;
    }

    /** The held lock; closing releases it. */
    @FunctionalInterface
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
