package io.contrastream.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash-safe checkpoint and blob files. Every write goes to a temporary file in the target directory, is hashed
 * (SHA-256) while it is written, forced to disk ({@link FileChannel#force}), then atomically renamed to its final
 * name, so a reader sees either the previous complete file or the new complete file. Every read loads the whole
 * file, checks its size and hash against the expected {@link StoredCheckpoint}, and only then hands bytes to DJL.
 *
 * <p>Parameter checkpoints hold exactly what DJL's {@link Block#saveParameters} writes for the network
 * ({@link ContrastiveEncoder#network()}) and are loaded with {@link Block#loadParameters} into a network rebuilt
 * from the {@link EncoderSpec}; no executable model format is involved.
 */
public final class CheckpointFiles {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointFiles.class);

    private CheckpointFiles() {
    }

    /** Writes the content of one blob file to the given stream. */
    @FunctionalInterface
    public interface BlobWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes the parameters of {@code block} to {@code dir/name}.
     *
     * @throws NonFiniteParametersException if any parameter holds NaN or infinity (checked before any byte is written)
     * @throws UncheckedIOException         if the file cannot be written; no partial file is left under {@code name}
     */
    public static StoredCheckpoint write(Path dir, String name, Block block) {
        Objects.requireNonNull(block, "block");
        for (Pair<String, Parameter> entry : block.getParameters()) {
            Parameter parameter = entry.getValue();
            if (parameter.isInitialized() && !isFinite(parameter.getArray())) {
                throw new NonFiniteParametersException(name, entry.getKey());
            }
        }
        return writeBlob(dir, name, out -> {
            DataOutputStream data = new DataOutputStream(out);
            block.saveParameters(data);
            data.flush();
        });
    }

    /** Writes an arbitrary named file (e.g. a replay buffer) with the same temp-file, fsync, hash and rename routine. */
    public static StoredCheckpoint writeBlob(Path dir, String name, BlobWriter writer) {
        Objects.requireNonNull(writer, "writer");
        Path target = resolve(dir, name);
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + name + ".", ".tmp");
            MessageDigest digest = sha256();
            long size;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                HashingOutputStream hashing = new HashingOutputStream(Channels.newOutputStream(channel), digest);
                BufferedOutputStream buffered = new BufferedOutputStream(hashing, 1 << 16);
                writer.writeTo(buffered);
                buffered.flush();
                size = hashing.count;
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            temp = null;
            forceDirectory(dir);
            StoredCheckpoint stored = new StoredCheckpoint(target.toAbsolutePath().toUri(),
                    HexFormat.of().formatHex(digest.digest()), size);
            LOG.debug("wrote {} ({} bytes, sha256 {})", target, size, stored.sha256Hex());
            return stored;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint file " + target + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    LOG.warn("could not delete temporary checkpoint file {}", temp, e);
                }
            }
        }
    }

    /**
     * Verifies the file named by {@code expected} and, if it matches, returns its bytes.
     *
     * @return {@link Read.Ok} with the bytes, or {@link Read.Refused} with the reason
     */
    public static Read read(StoredCheckpoint expected) {
        Path file = Path.of(expected.uri());
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Read.Refused(new CheckpointCheck.Missing(file));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read checkpoint file " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length != expected.byteSize()) {
            return new Read.Refused(new CheckpointCheck.SizeMismatch(file, expected.byteSize(), bytes.length));
        }
        String actual = HexFormat.of().formatHex(sha256().digest(bytes));
        if (!actual.equals(expected.sha256Hex())) {
            return new Read.Refused(new CheckpointCheck.HashMismatch(file, expected.sha256Hex(), actual));
        }
        return new Read.Ok(new CheckpointCheck.Verified(file, expected), bytes);
    }

    /**
     * Verifies the checkpoint file, then loads its parameters into {@code block}, which must be initialised (built
     * from the same {@link EncoderSpec}; the loaded shapes are checked against the current ones, since DJL checks
     * only parameter names). The block is untouched unless size and hash verify; if DJL then rejects the content
     * ({@link CheckpointCheck.Malformed}) the block may be partially overwritten, so load into a scratch encoder
     * first when that matters ({@link #loadEncoder} does).
     *
     * @throws IllegalArgumentException if a parameter of {@code block} is not initialised
     */
    public static CheckpointCheck load(StoredCheckpoint expected, Block block, NDManager manager) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Pair<String, Parameter> entry : block.getParameters()) {
            if (!entry.getValue().isInitialized()) {
                throw new IllegalArgumentException("parameter '" + entry.getKey() + "' is not initialised; initialise"
                        + " the block (ContrastiveEncoder.initialize) before loading " + expected.uri());
            }
            shapes.put(entry.getKey(), entry.getValue().getArray().getShape());
        }
        Read read = read(expected);
        if (read instanceof Read.Refused refused) {
            LOG.warn("refused checkpoint: {}", CheckpointIntegrityException.describe(refused.check()));
            return refused.check();
        }
        Read.Ok ok = (Read.Ok) read;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(ok.bytes()))) {
            block.loadParameters(manager, in);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            return new CheckpointCheck.Malformed(ok.check().file(), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        for (Pair<String, Parameter> entry : block.getParameters()) {
            Shape loaded = entry.getValue().getArray().getShape();
            if (!loaded.equals(shapes.get(entry.getKey()))) {
                return new CheckpointCheck.Malformed(ok.check().file(), "parameter '" + entry.getKey() + "' has shape "
                        + loaded + " in the file but " + shapes.get(entry.getKey()) + " in the network");
            }
        }
        return ok.check();
    }

    /**
     * Rebuilds the encoder from {@code spec} and loads the verified checkpoint into it: the reader-side entry point
     * (evaluation, mining).
     *
     * @throws CheckpointIntegrityException if the file is missing, truncated, altered, or does not fit the spec
     */
    public static ContrastiveEncoder loadEncoder(StoredCheckpoint expected, EncoderSpec spec, NDManager manager) {
        ContrastiveEncoder encoder = Encoders.build(spec).initialize(manager);
        load(expected, encoder.network(), manager).orThrow();
        return encoder;
    }

    /** Result of {@link #read}: verified bytes or a refusal. */
    public sealed interface Read {
        /** Verified content. */
        record Ok(CheckpointCheck.Verified check, byte[] bytes) implements Read {
        }

        /** The file failed verification; nothing was read into memory beyond the check. */
        record Refused(CheckpointCheck check) implements Read {
        }
    }

    static boolean isFinite(NDArray array) {
        try (NDArray bad = array.isNaN().logicalOr(array.isInfinite()); NDArray any = bad.any()) {
            return !any.getBoolean();
        }
    }

    private static Path resolve(Path dir, String name) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.startsWith(".") || name.contains("/") || name.contains("\\")) {
            throw new IllegalArgumentException("checkpoint name '" + name
                    + "' must be a plain file name (no separators, not starting with '.')");
        }
        return dir.resolve(name);
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("directory fsync not supported for {}: {}", dir, e.getMessage());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static final class HashingOutputStream extends FilterOutputStream {
        private final MessageDigest digest;
        private long count;

        HashingOutputStream(OutputStream out, MessageDigest digest) {
            super(out);
            this.digest = digest;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
