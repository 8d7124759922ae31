package io.contrastream.model;

import java.nio.file.Path;

/**
 * Outcome of reading a checkpoint or blob file against its expected {@link StoredCheckpoint}: either verified, or one
 * named reason it was refused. Nothing unverified is ever handed to DJL.
 */
public sealed interface CheckpointCheck {

    /** The file as named in the expectation. */
    Path file();

    /**
     * Returns the verified outcome or throws.
     *
     * @throws CheckpointIntegrityException naming the file and, for hash and size mismatches, expected and actual
     */
    default Verified orThrow() {
        if (this instanceof Verified verified) {
            return verified;
        }
        throw new CheckpointIntegrityException(this);
    }

    /**
     * Lower-case, hyphenated name of the outcome, the {@code reason} of a refusal in dead letters and failure records:
     * {@code verified}, {@code file-missing}, {@code size-mismatch}, {@code hash-mismatch} or {@code malformed}.
     */
    default String label() {
        if (this instanceof Missing) {
            return "file-missing";
        }
        if (this instanceof SizeMismatch) {
            return "size-mismatch";
        }
        if (this instanceof HashMismatch) {
            return "hash-mismatch";
        }
        return this instanceof Malformed ? "malformed" : "verified";
    }

    /** Size and SHA-256 matched (and, for parameter loads, DJL accepted the parameters). */
    record Verified(Path file, StoredCheckpoint checkpoint) implements CheckpointCheck {
    }

    /** No file at the expected location. */
    record Missing(Path file) implements CheckpointCheck {
    }

    /** The file has a different length than recorded, e.g. truncated by a crash or a partial copy. */
    record SizeMismatch(Path file, long expectedBytes, long actualBytes) implements CheckpointCheck {
    }

    /** The file has the recorded length but different content. */
    record HashMismatch(Path file, String expectedSha256, String actualSha256) implements CheckpointCheck {
    }

    /** Bytes verified but could not be read as parameters of the network built from the spec. */
    record Malformed(Path file, String reason) implements CheckpointCheck {
    }
}
