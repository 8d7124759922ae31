package io.contrastream.eval;

import io.contrastream.model.EncoderSpec;
import io.contrastream.model.StoredCheckpoint;
import io.contrastream.schemas.Attachment;
import io.contrastream.schemas.CheckpointEvent;
import io.contrastream.schemas.Provenance;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Checkpoint events for tests, as the trainer writes them. */
public final class TestCheckpoints {

    private TestCheckpoints() {
    }

    /** The event announcing {@code stored}. */
    public static CheckpointEvent event(String runId, long step, int taskId, boolean taskEnd, StoredCheckpoint stored,
                                        Map<String, String> encoderSpec, List<Attachment> attachments) {
        return CheckpointEvent.newBuilder().setRunId(runId).setStep(step).setTaskId(taskId).setTaskEnd(taskEnd)
                .setParameterUri(stored.uri().toString()).setSha256(stored.sha256Hex())
                .setByteSize(stored.byteSize()).setEncoderSpec(encoderSpec)
                .setLossConfig(Map.of("name", "infonce", "temperature", "0.2")).setOffsets(List.of())
                .setAttachments(attachments)
                .setProvenance(Provenance.newBuilder().setConfig(Map.of()).setSeed(1).setCodeVersion("test")
                        .setJavaVersion("17").setOs("linux").setArch("amd64").setDevice("cpu").build())
                .setCreatedAt(Instant.now()).build();
    }

    /** The event announcing {@code stored} for {@code spec}, without attachments. */
    public static CheckpointEvent event(String runId, long step, StoredCheckpoint stored, EncoderSpec spec) {
        return event(runId, step, 0, false, stored, spec.toMap(), List.of());
    }

    /** An attachment entry for a blob. */
    public static Attachment attachment(String name, StoredCheckpoint stored) {
        return Attachment.newBuilder().setName(name).setUri(stored.uri().toString()).setSha256(stored.sha256Hex())
                .setByteSize(stored.byteSize()).build();
    }
}
