package io.contrastream.trainer.kafka;

import io.contrastream.model.CheckpointFiles;
import io.contrastream.model.CheckpointIntegrityException;
import io.contrastream.model.StoredCheckpoint;
import io.contrastream.model.replay.ReplayBuffer;
import io.contrastream.schemas.Attachment;
import io.contrastream.schemas.CheckpointEvent;
import io.contrastream.schemas.codec.EventCodec;
import io.contrastream.schemas.codec.EventDecodingException;
import io.contrastream.trainer.internal.PendingViews;
import io.contrastream.trainer.internal.ResumePoint;
import io.contrastream.trainer.internal.TrainingLoop;
import io.contrastream.trainer.optim.AdamState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committed checkpoints of one trainer instance, read from the checkpoints topic (read_committed, from the
 * beginning), and the choice of the one to resume from: the newest whose parameter file, pending-view attachment
 * and (when present) replay-buffer and optimiser-state attachments all verify (size and SHA-256) and parse. A newer
 * one that fails is named in a WARN together with the one used instead.
 */
public final class CheckpointLog {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointLog.class);
    private static final EventCodec<CheckpointEvent> CODEC = EventCodec.of(CheckpointEvent.class);

    private CheckpointLog() {
    }

    /** Every committed checkpoint of {@code runId} written by {@code instanceId}, oldest first. */
    public static List<CheckpointEvent> read(KafkaConsumer<String, byte[]> reader, String topic, String runId,
                                             int instanceId, Duration timeout) {
        TopicPartition partition = new TopicPartition(topic, 0);
        reader.assign(List.of(partition));
        reader.seekToBeginning(List.of(partition));
        long end = reader.endOffsets(List.of(partition), timeout).get(partition);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<CheckpointEvent> events = new ArrayList<>();
        while (reader.position(partition) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " up to offset " + end + " within "
                        + timeout + " (at " + reader.position(partition) + "); is the broker reachable?");
            }
            for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                if (!runId.equals(r.key())) {
                    continue;
                }
                try {
                    CheckpointEvent event = CODEC.decode(r.value());
                    if (runId.equals(event.getRunId()) && String.valueOf(instanceId)
                            .equals(event.getProvenance().getConfig().get("instanceId"))) {
                        events.add(event);
                    }
                } catch (EventDecodingException e) {
                    LOG.warn("skipping undecodable checkpoint record: {}",
                            e.at(r.topic(), r.partition(), r.offset()).getMessage());
                }
            }
        }
        return events;
    }

    /** Why a checkpoint could not be used. */
    public record Rejected(CheckpointEvent event, String reason) {
    }

    /**
     * The newest checkpoint (of {@code events}, oldest first) whose files verify, or empty. Each newer one that
     * fails is logged at WARN with its URI and reason and the step it falls back to.
     */
    public static Optional<ResumePoint> newestUsable(List<CheckpointEvent> events) {
        List<Rejected> rejected = new ArrayList<>();
        for (int i = events.size() - 1; i >= 0; i--) {
            CheckpointEvent event = events.get(i);
            Optional<String> problem = verify(event);
            if (problem.isPresent()) {
                rejected.add(new Rejected(event, problem.get()));
                continue;
            }
            ResumePoint point = load(event);
            for (Rejected r : rejected) {
                LOG.warn("checkpoint step {} ({}) is unusable: {}; falling back to checkpoint step {} ({})",
                        r.event().getStep(), r.event().getParameterUri(), r.reason(), event.getStep(),
                        event.getParameterUri());
            }
            return Optional.of(point);
        }
        for (Rejected r : rejected) {
            LOG.warn("checkpoint step {} ({}) is unusable: {}; no earlier checkpoint verifies, starting fresh",
                    r.event().getStep(), r.event().getParameterUri(), r.reason());
        }
        return Optional.empty();
    }

    private static Optional<String> verify(CheckpointEvent event) {
        StoredCheckpoint parameters = parameters(event);
        CheckpointFiles.Read read = CheckpointFiles.read(parameters);
        if (read instanceof CheckpointFiles.Read.Refused refused) {
            return Optional.of(new CheckpointIntegrityException(refused.check()).getMessage());
        }
        Optional<Attachment> pending = pendingAttachment(event);
        if (pending.isEmpty()) {
            return Optional.of("no '" + TrainingLoop.PENDING_ATTACHMENT + "' attachment");
        }
        CheckpointFiles.Read pendingRead = CheckpointFiles.read(stored(pending.get()));
        if (pendingRead instanceof CheckpointFiles.Read.Refused refused) {
            return Optional.of("attachment " + TrainingLoop.PENDING_ATTACHMENT + ": "
                    + new CheckpointIntegrityException(refused.check()).getMessage());
        }
        try {
            PendingViews.read(((CheckpointFiles.Read.Ok) pendingRead).bytes());
        } catch (IOException | RuntimeException e) {
            return Optional.of("attachment " + TrainingLoop.PENDING_ATTACHMENT + " is malformed: " + e.getMessage());
        }
        Optional<Attachment> replay = attachment(event, TrainingLoop.REPLAY_ATTACHMENT);
        if (replay.isPresent()) {
            CheckpointFiles.Read replayRead = CheckpointFiles.read(stored(replay.get()));
            if (replayRead instanceof CheckpointFiles.Read.Refused refused) {
                return Optional.of("attachment " + TrainingLoop.REPLAY_ATTACHMENT + ": "
                        + new CheckpointIntegrityException(refused.check()).getMessage());
            }
            try {
                readReplay(((CheckpointFiles.Read.Ok) replayRead).bytes());
            } catch (IOException | RuntimeException e) {
                return Optional.of("attachment " + TrainingLoop.REPLAY_ATTACHMENT + " is malformed: "
                        + e.getMessage());
            }
        }
        Optional<Attachment> optimizer = attachment(event, TrainingLoop.OPTIMIZER_ATTACHMENT);
        if (optimizer.isPresent()) {
            StoredCheckpoint file = stored(optimizer.get());
            CheckpointFiles.Read optimizerRead = CheckpointFiles.read(file);
            if (optimizerRead instanceof CheckpointFiles.Read.Refused refused) {
                return Optional.of("attachment " + TrainingLoop.OPTIMIZER_ATTACHMENT + ": "
                        + new CheckpointIntegrityException(refused.check()).getMessage());
            }
            try {
                AdamState.readFrom(new ByteArrayInputStream(((CheckpointFiles.Read.Ok) optimizerRead).bytes()),
                        Path.of(file.uri()).toString());
            } catch (IOException | RuntimeException e) {
                return Optional.of("attachment " + TrainingLoop.OPTIMIZER_ATTACHMENT + " is malformed: "
                        + e.getMessage());
            }
        }
        return Optional.empty();
    }

    private static ReplayBuffer readReplay(byte[] bytes) throws IOException {
        try (ByteArrayInputStream in = new ByteArrayInputStream(bytes)) {
            return ReplayBuffer.readFrom(in);
        }
    }

    private static ResumePoint load(CheckpointEvent event) {
        Attachment attachment = pendingAttachment(event).orElseThrow();
        CheckpointFiles.Read read = CheckpointFiles.read(stored(attachment));
        Optional<ReplayBuffer> replay = Optional.empty();
        try {
            PendingViews pending = PendingViews.read(((CheckpointFiles.Read.Ok) read).bytes());
            Optional<Attachment> replayAttachment = attachment(event, TrainingLoop.REPLAY_ATTACHMENT);
            if (replayAttachment.isPresent()) {
                CheckpointFiles.Read replayRead = CheckpointFiles.read(stored(replayAttachment.get()));
                if (!(replayRead instanceof CheckpointFiles.Read.Ok ok)) {
                    throw new IOException("attachment " + TrainingLoop.REPLAY_ATTACHMENT + " no longer verifies: "
                            + replayRead);
                }
                replay = Optional.of(readReplay(ok.bytes()));
            }
            return new ResumePoint(event, parameters(event), pending, replay,
                    attachment(event, TrainingLoop.OPTIMIZER_ATTACHMENT).map(CheckpointLog::stored));
        } catch (IOException e) {
            throw new IllegalStateException("attachments of checkpoint step " + event.getStep()
                    + " changed between verification and load: " + e.getMessage(), e);
        }
    }

    /** The parameter file an event names. */
    public static StoredCheckpoint parameters(CheckpointEvent event) {
        return new StoredCheckpoint(URI.create(event.getParameterUri()), event.getSha256(), event.getByteSize());
    }

    private static StoredCheckpoint stored(Attachment attachment) {
        return new StoredCheckpoint(URI.create(attachment.getUri()), attachment.getSha256(), attachment.getByteSize());
    }

    private static Optional<Attachment> pendingAttachment(CheckpointEvent event) {
        return attachment(event, TrainingLoop.PENDING_ATTACHMENT);
    }

    private static Optional<Attachment> attachment(CheckpointEvent event, String name) {
        return event.getAttachments().stream().filter(a -> name.equals(a.getName())).findFirst();
    }

}
