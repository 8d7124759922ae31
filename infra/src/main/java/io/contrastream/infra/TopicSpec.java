package io.contrastream.infra;

import java.util.Map;
import java.util.Objects;

/**
 * One topic's definition: its full name, partitions, replication, cleanup policy, retention and maximum message size.
 * Topic definitions live in {@link TopicCatalog} and nowhere else.
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Cleanup cleanup, long retentionMs,
                        int maxMessageBytes) {
    /** The {@code cleanup.policy}. */
    public enum Cleanup {
        DELETE("delete"), COMPACT("compact");

        private final String config;

        Cleanup(String config) {
            this.config = config;
        }

        public String config() {
            return config;
        }
    }

    /** Retention that never deletes by time. */
    public static final long FOREVER = -1L;

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cleanup, "cleanup");
        if (name.isBlank() || !name.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("topic name '" + name + "' must be 1-249 of [a-zA-Z0-9._-]");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("topic " + name + ": replication factor must be >= 1, got " + replicationFactor);
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("topic " + name + ": max.message.bytes must be >= 1024, got " + maxMessageBytes);
        }
    }

    /** The topic configs the provisioner sets and checks. */
    public Map<String, String> configs() {
        return Map.of("cleanup.policy", cleanup.config(),
                "retention.ms", String.valueOf(retentionMs),
                "max.message.bytes", String.valueOf(maxMessageBytes));
    }
}
