package io.contrastream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * DJL's PyTorch engine allows one open {@link GradientCollector} per process (a static flag in
 * {@code PtGradientCollector}); a second one, e.g. an evaluator's adversarial attack while a trainer steps in
 * the same JVM, fails. Every gradient computation in this project opens its collector through {@link #open},
 * which waits until no other thread holds one:
 *
 * <pre>{@code
 * try (GradientCollector collector = GradientLock.open(trainer::newGradientCollector)) { ... }
 * }</pre>
 */
public final class GradientLock {
    private static final ReentrantLock LOCK = new ReentrantLock(true);

    private GradientLock() {
    }

    /** Waits for the process-wide lock, then opens a collector; closing the result closes it and releases the lock. */
    public static GradientCollector open(Supplier<GradientCollector> factory) {
        LOCK.lock();
        try {
            return new Locked(factory.get());
        } catch (RuntimeException | Error e) {
            LOCK.unlock();
            throw e;
        }
    }

    private static final class Locked implements GradientCollector {
        private final GradientCollector delegate;
        private boolean closed;

        Locked(GradientCollector delegate) {
            this.delegate = delegate;
        }

        @Override
        public void backward(NDArray target) {
            delegate.backward(target);
        }

        @Override
        public void zeroGradients() {
            delegate.zeroGradients();
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                delegate.close();
            } finally {
                LOCK.unlock();
            }
        }
    }
}
