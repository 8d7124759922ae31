package io.contrastream.schemas.codec;

import java.util.Optional;

/**
 * A message that could not be decoded into an event. Names where the bytes came from (topic, partition,
 * offset, when known) and what was wrong with them, so a consuming loop can dead-letter the record and go on.
 */
public final class EventDecodingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What was wrong with the bytes. */
    public enum Kind {
        /** The message does not start with the Avro single-object marker {@code C3 01}. */
        WRONG_MAGIC,
        /** The schema fingerprint is not one this reader knows (a newer writer, or not our event type). */
        UNKNOWN_FINGERPRINT,
        /** The payload ended before the record did. */
        TRUNCATED,
        /** The payload could not be read with the writer's schema. */
        MALFORMED
    }

    private final Kind kind;
    private final String eventType;
    private final String topic;
    private final Integer partition;
    private final Long offset;

    public EventDecodingException(Kind kind, String eventType, String detail, Throwable cause) {
        this(kind, eventType, null, null, null, detail, cause);
    }

    private EventDecodingException(Kind kind, String eventType, String topic, Integer partition, Long offset,
                                   String detail, Throwable cause) {
        super(message(kind, eventType, topic, partition, offset, detail), cause);
        this.kind = kind;
        this.eventType = eventType;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
    }

    /** The same failure, located at a topic-partition-offset. */
    public EventDecodingException at(String topic, int partition, long offset) {
        EventDecodingException located = new EventDecodingException(kind, eventType, topic, partition, offset,
                detail(), getCause());
        located.setStackTrace(getStackTrace());
        return located;
    }

    /** The same failure, located at a topic (the partition and offset are not known, e.g. in a Kafka deserializer). */
    public EventDecodingException in(String topic) {
        EventDecodingException located = new EventDecodingException(kind, eventType, topic, null, null, detail(), getCause());
        located.setStackTrace(getStackTrace());
        return located;
    }

    public Kind kind() {
        return kind;
    }

    public String eventType() {
        return eventType;
    }

    public Optional<String> topic() {
        return Optional.ofNullable(topic);
    }

    public Optional<Integer> partition() {
        return Optional.ofNullable(partition);
    }

    public Optional<Long> offset() {
        return Optional.ofNullable(offset);
    }

    private String detail() {
        String message = getMessage();
        int separator = message.indexOf(": ");
        return separator < 0 ? message : message.substring(separator + 2);
    }

    private static String message(Kind kind, String eventType, String topic, Integer partition, Long offset,
                                  String detail) {
        StringBuilder where = new StringBuilder("cannot decode ").append(eventType).append(" (").append(kind);
        if (topic != null) {
            where.append(" at ").append(topic);
            if (partition != null) {
                where.append('-').append(partition).append('@').append(offset);
            }
        }
        return where.append("): ").append(detail).toString();
    }
}
