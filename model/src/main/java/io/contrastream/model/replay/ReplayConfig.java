package io.contrastream.model.replay;

/**
 * Configuration of one run's {@link ReplayBuffer}.
 *
 * @param runId    the training run the buffer belongs to ({@link ReplayBuffer#onTaskStart} rejects other runs)
 * @param capacity maximum number of stored samples, at least 1
 * @param policy   eviction policy once full
 * @param channels sample channels (every stored sample has this shape, so slots are reused in place)
 * @param height   sample rows
 * @param width    sample columns
 * @param seed     seeds the buffer's own generator (eviction choices), so a run is repeatable
 */
public record ReplayConfig(String runId, int capacity, ReplayPolicy policy, int channels, int height, int width,
                           long seed) {

    /** Validates every field; the message names the field. */
    public ReplayConfig {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("ReplayConfig.runId must be a non-blank run id");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("ReplayConfig.capacity must be >= 1 sample, got " + capacity);
        }
        if (policy == null) {
            throw new IllegalArgumentException("ReplayConfig.policy must be RESERVOIR or CLASS_BALANCED, got null");
        }
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("ReplayConfig sample shape must be positive, got channels=" + channels
                    + " height=" + height + " width=" + width);
        }
        if ((long) channels * height * width > Integer.MAX_VALUE / Float.BYTES) {
            throw new IllegalArgumentException("ReplayConfig sample shape " + channels + "x" + height + "x" + width
                    + " is too large for one slot");
        }
    }

    /** Values per sample, {@code channels * height * width}. */
    public int sampleSize() {
        return channels * height * width;
    }

    /** {@code {channels, height, width}}. */
    public int[] shape() {
        return new int[] {channels, height, width};
    }
}
