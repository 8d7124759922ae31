package io.contrastream.eval.metrics.internal;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for pooled metric work with the worker's own exception, not a wrapped one. */
public final class Futures {
    private Futures() {
    }

    /**
     * The result of {@code future}: a worker's {@link RuntimeException} or {@link Error} is rethrown as is, any
     * other cause wrapped as "{@code what} failed"; an interrupt restores the flag and fails the same way.
     */
    public static <T> T join(Future<T> future, String what) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(what + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the " + what, e);
        }
    }
}
