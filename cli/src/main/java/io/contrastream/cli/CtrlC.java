package io.contrastream.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Graceful Ctrl-C for a command: on SIGINT/SIGTERM it runs {@code stop} (which asks the worker to finish) and then
 * holds the JVM until the command has closed its resources (flushes, commits, broker shutdown), at most
 * {@link #GRACE}. Open it before the resources it protects so that it closes after them:
 *
 * <pre>{@code
 * try (CtrlC ctrlC = CtrlC.onInterrupt("produce", producer::stop); KafkaCluster cluster = ...) { ... }
 * }</pre>
 */
final class CtrlC implements AutoCloseable {
    static final Duration GRACE = Duration.ofSeconds(60);

    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook;

    private CtrlC(String name, Runnable stop) {
        this.hook = new Thread(() -> {
            stop.run();
            try {
                closed.await(GRACE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Registers the hook; {@code stop} must return quickly (signal, don't wait). */
    static CtrlC onInterrupt(String name, Runnable stop) {
        return new CtrlC(name, stop);
    }

    @Override
    public void close() {
        closed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is running and has been waiting for this close.
        }
    }
}
