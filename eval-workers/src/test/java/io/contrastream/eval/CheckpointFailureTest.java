package io.contrastream.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.model.CheckpointCheck;
import io.contrastream.model.EncoderSpec;
import io.contrastream.model.InvalidEncoderSpecException;
import io.contrastream.model.StoredCheckpoint;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointFailureTest {

    private static final Path FILE = Path.of("/tmp/ckpt-1.params");

    @Test
    void shouldClassifyEachRefusedCheck() {
        assertEquals(CheckpointFailure.Reason.FILE_MISSING,
                CheckpointFailure.of("parameters", new CheckpointCheck.Missing(FILE)).reason());
        CheckpointFailure size = CheckpointFailure.of("parameters", new CheckpointCheck.SizeMismatch(FILE, 100, 60));
        assertEquals(CheckpointFailure.Reason.SIZE_MISMATCH, size.reason());
        assertTrue(size.detail().contains("60") && size.detail().contains("100"), size.detail());
        CheckpointFailure hash = CheckpointFailure.of("replay", new CheckpointCheck.HashMismatch(FILE, "aa", "bb"));
        assertEquals(CheckpointFailure.Reason.HASH_MISMATCH, hash.reason());
        assertEquals("replay", hash.file());
        assertEquals("hash-mismatch", hash.label());
        assertEquals(CheckpointFailure.Reason.MALFORMED,
                CheckpointFailure.of("parameters", new CheckpointCheck.Malformed(FILE, "bad shape")).reason());
    }

    @Test
    void shouldRefuseToClassifyAVerifiedCheck() {
        CheckpointCheck ok = new CheckpointCheck.Verified(FILE, new StoredCheckpoint(URI.create("file:/tmp/x"),
                "0".repeat(64), 1));
        assertThrows(IllegalArgumentException.class, () -> CheckpointFailure.of("parameters", ok));
    }

    @Test
    void shouldTellAnUnknownEncoderKindFromAnInvalidSpec() {
        Map<String, String> unknown = new HashMap<>(EncoderSpec.mnistMlp().toMap());
        unknown.put("kind", "TRANSFORMER");
        InvalidEncoderSpecException e1 = assertThrows(InvalidEncoderSpecException.class,
                () -> EncoderSpec.fromMap(unknown));
        assertEquals(CheckpointFailure.Reason.UNKNOWN_ENCODER_KIND, CheckpointFailure.of(e1).reason());
        assertEquals("unknown-encoder-kind", CheckpointFailure.of(e1).label());

        Map<String, String> missing = new HashMap<>(EncoderSpec.mnistMlp().toMap());
        missing.remove("embeddingDim");
        InvalidEncoderSpecException e2 = assertThrows(InvalidEncoderSpecException.class,
                () -> EncoderSpec.fromMap(missing));
        assertEquals(CheckpointFailure.Reason.INVALID_ENCODER_SPEC, CheckpointFailure.of(e2).reason());
    }
}
