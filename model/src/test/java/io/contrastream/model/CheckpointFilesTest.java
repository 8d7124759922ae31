package io.contrastream.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFilesTest {
    private static final EncoderSpec SPEC =
            new EncoderSpec(EncoderSpec.Kind.MLP, new int[] {1, 4, 4}, List.of(8), 4, 2);

    @TempDir
    Path dir;

    @Test
    void shouldLoadIntoAFreshNetworkAndReproduceOutputs() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            ContrastiveEncoder source = Encoders.build(SPEC).initialize(manager, 1);
            StoredCheckpoint stored = CheckpointFiles.write(dir, "ckpt-1.params", source.network());
            Path file = Path.of(stored.uri());
            assertEquals(Files.size(file), stored.byteSize());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))),
                    stored.sha256Hex());
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(file), files.toList(), "no temporary file may remain");
            }

            ContrastiveEncoder target = Encoders.build(SPEC).initialize(manager, 2);
            CheckpointCheck check = CheckpointFiles.load(stored, target.network(), manager);
            assertInstanceOf(CheckpointCheck.Verified.class, check);
            NDArray x = manager.randomUniform(0, 1, source.inputShape(2));
            assertArrayEquals(forward(source, x), forward(target, x), 0f);
        }
    }

    @Test
    void shouldRebuildEncoderFromSpecAndCheckpoint() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ContrastiveEncoder source = Encoders.build(SPEC).initialize(manager, 3);
            StoredCheckpoint stored = CheckpointFiles.write(dir, "c.params", source.network());
            ContrastiveEncoder loaded = CheckpointFiles.loadEncoder(stored, SPEC, manager);
            NDArray x = manager.randomUniform(0, 1, source.inputShape(2));
            assertArrayEquals(source.embed(x).toFloatArray(), loaded.embed(x).toFloatArray(), 0f);
            assertArrayEquals(source.project(x).toFloatArray(), loaded.project(x).toFloatArray(), 0f);
            EncoderSpec other = new EncoderSpec(EncoderSpec.Kind.MLP, new int[] {1, 4, 4}, List.of(9), 4, 2);
            assertThrows(CheckpointIntegrityException.class, () -> CheckpointFiles.loadEncoder(stored, other, manager));
        }
    }

    @Test
    void shouldRefuseTruncatedFileNamingExpectedAndActualSize() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            StoredCheckpoint stored = CheckpointFiles.write(dir, "c.params",
                    Encoders.build(SPEC).initialize(manager, 1).network());
            Path file = Path.of(stored.uri());
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 10));
            CheckpointCheck check = CheckpointFiles.load(stored, Encoders.build(SPEC).initialize(manager).network(), manager);
            CheckpointCheck.SizeMismatch mismatch = assertInstanceOf(CheckpointCheck.SizeMismatch.class, check);
            assertEquals(bytes.length, mismatch.expectedBytes());
            assertEquals(bytes.length - 10, mismatch.actualBytes());
            assertThrows(CheckpointIntegrityException.class, check::orThrow);
        }
    }

    @Test
    void shouldRefuseFlippedByteNamingFileAndBothHashes() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            ContrastiveEncoder target = Encoders.build(SPEC).initialize(manager, 5);
            float[] before = target.network().getParameters().get(0).getValue().getArray().toFloatArray();
            StoredCheckpoint stored = CheckpointFiles.write(dir, "c.params",
                    Encoders.build(SPEC).initialize(manager, 1).network());
            Path file = Path.of(stored.uri());
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length - 3] ^= 0x40;
            Files.write(file, bytes);
            CheckpointCheck check = CheckpointFiles.load(stored, target.network(), manager);
            assertInstanceOf(CheckpointCheck.HashMismatch.class, check);
            CheckpointIntegrityException e = assertThrows(CheckpointIntegrityException.class, check::orThrow);
            assertTrue(e.getMessage().contains(file.toString()));
            assertTrue(e.getMessage().contains(stored.sha256Hex()));
            assertArrayEquals(before, target.network().getParameters().get(0).getValue().getArray().toFloatArray(),
                    "a refused checkpoint must not touch the network");
        }
    }

    @Test
    void shouldReportMissingFile() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            StoredCheckpoint stored = CheckpointFiles.write(dir, "c.params",
                    Encoders.build(SPEC).initialize(manager, 1).network());
            Files.delete(Path.of(stored.uri()));
            assertInstanceOf(CheckpointCheck.Missing.class,
                    CheckpointFiles.load(stored, Encoders.build(SPEC).initialize(manager).network(), manager));
        }
    }

    @Test
    void shouldReportMalformedWhenSpecDoesNotMatch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            StoredCheckpoint stored = CheckpointFiles.write(dir, "c.params",
                    Encoders.build(SPEC).initialize(manager, 1).network());
            EncoderSpec other = new EncoderSpec(EncoderSpec.Kind.CNN, new int[] {1, 4, 4}, List.of(3), 4, 2);
            assertInstanceOf(CheckpointCheck.Malformed.class,
                    CheckpointFiles.load(stored, Encoders.build(other).initialize(manager, 1).network(), manager));
        }
    }

    @Test
    void shouldRefuseUninitialisedTarget() {
        try (NDManager manager = NDManager.newBaseManager()) {
            StoredCheckpoint stored = CheckpointFiles.write(dir, "c.params",
                    Encoders.build(SPEC).initialize(manager, 1).network());
            assertThrows(IllegalArgumentException.class,
                    () -> CheckpointFiles.load(stored, Encoders.build(SPEC).network(), manager));
        }
    }

    @Test
    void shouldRefuseToWriteNonFiniteParameters() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ContrastiveEncoder encoder = Encoders.build(SPEC).initialize(manager, 1);
            NDArray weight = encoder.network().getParameters().get(1).getValue().getArray();
            weight.set(new ai.djl.ndarray.index.NDIndex("0"), Float.NaN);
            NonFiniteParametersException e = assertThrows(NonFiniteParametersException.class,
                    () -> CheckpointFiles.write(dir, "bad.params", encoder.network()));
            assertEquals(encoder.network().getParameters().get(1).getKey(), e.parameterName());
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(0, files.count());
            }
        }
    }

    @Test
    void shouldWriteAndVerifyBlob() {
        byte[] payload = "replay-buffer".getBytes(StandardCharsets.UTF_8);
        StoredCheckpoint stored = CheckpointFiles.writeBlob(dir, "replay.bin", out -> out.write(payload));
        assertEquals(payload.length, stored.byteSize());
        CheckpointFiles.Read read = CheckpointFiles.read(stored);
        assertArrayEquals(payload, assertInstanceOf(CheckpointFiles.Read.Ok.class, read).bytes());
    }

    private static float[] forward(ContrastiveEncoder encoder, NDArray x) {
        return encoder.network().forward(new ParameterStore(x.getManager(), false), new NDList(x), false)
                .singletonOrThrow().toFloatArray();
    }
}
