package io.contrastream.infra;

import java.util.Map;

/**
 * A running Kafka cluster the pipeline talks to: the embedded single-node KRaft broker, an external cluster,
 * or a Testcontainers broker. Closing it stops what it started (an external cluster is left alone).
 */
public interface KafkaCluster extends AutoCloseable {

    /** The {@code bootstrap.servers} value for clients. */
    String bootstrapServers();

    /** Client properties every producer, consumer, admin and Streams app needs (bootstrap, security). */
    Map<String, Object> clientProperties();

    /** A short human description, e.g. {@code embedded KRaft broker at localhost:34567}. */
    String description();

    @Override
    void close();
}
