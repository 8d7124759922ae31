package io.contrastream.producers;

/** Callbacks of a {@link HardNegativeMiner}, on its thread; every method defaults to doing nothing. */
public interface MiningListener {

    /** The miner subscribed in {@code groupId} with a pool of {@code poolSize} samples. */
    default void onStarted(String groupId, int poolSize) {
    }

    /** {@code done} of {@code total} anchors of checkpoint {@code step} mined, {@code seconds} since it arrived. */
    default void onProgress(String runId, long step, int done, int total, double seconds) {
    }

    /** A checkpoint event was handled and its offset committed. */
    default void onOutcome(MiningOutcome outcome) {
    }

    /** Does nothing. */
    MiningListener NONE = new MiningListener() {
    };
}
