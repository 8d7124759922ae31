package io.contrastream.infra;

import org.apache.kafka.common.serialization.Serde;

import java.util.Objects;

/**
 * A topic name bound to the serdes of its keys and values.
 *
 * @param <K> key type
 * @param <V> value type
 */
public record Topic<K, V>(TopicSpec spec, Serde<K> keySerde, Serde<V> valueSerde) {
    public Topic {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
    }

    public String name() {
        return spec.name();
    }
}
