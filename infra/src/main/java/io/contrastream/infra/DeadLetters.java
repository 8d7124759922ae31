package io.contrastream.infra;

import io.contrastream.schemas.DeadLetter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Builds dead-letter records: the original key and bytes, where they came from and why they failed, both in the
 * {@link DeadLetter} event and in headers (for tools that do not decode Avro).
 */
public final class DeadLetters {
    public static final String HEADER_ERROR_TYPE = "contrastream.error.type";
    public static final String HEADER_REASON = "contrastream.error.reason";
    public static final String HEADER_SOURCE = "contrastream.source";

    private DeadLetters() {
    }

    /** The dead-letter record for a consumed record that could not be processed. */
    public static ProducerRecord<String, DeadLetter> of(Topic<String, DeadLetter> deadLetterTopic,
                                                        ConsumerRecord<byte[], byte[]> failed,
                                                        String errorType, String reason, String worker) {
        return of(deadLetterTopic, failed.topic(), failed.partition(), failed.offset(), failed.key(), failed.value(),
                errorType, reason, worker);
    }

    /** The dead-letter record for bytes read at {@code topic}-{@code partition}@{@code offset}. */
    public static ProducerRecord<String, DeadLetter> of(Topic<String, DeadLetter> deadLetterTopic, String topic,
                                                        int partition, long offset, byte[] key, byte[] value,
                                                        String errorType, String reason, String worker) {
        DeadLetter letter = DeadLetter.newBuilder()
                .setSourceTopic(topic).setPartition(partition).setOffset(offset)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setErrorType(errorType).setReason(reason).setWorker(worker).setFailedAt(Instant.now())
                .build();
        RecordHeaders headers = new RecordHeaders();
        headers.add(HEADER_ERROR_TYPE, errorType.getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_SOURCE, (topic + "-" + partition + "@" + offset).getBytes(StandardCharsets.UTF_8));
        String originalKey = key == null ? null : new String(key, StandardCharsets.UTF_8);
        return new ProducerRecord<>(deadLetterTopic.name(), null, originalKey, letter, headers);
    }
}
