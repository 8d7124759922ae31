package io.contrastream.eval;

import io.contrastream.model.CheckpointCheck;
import io.contrastream.model.InvalidEncoderSpecException;
import io.contrastream.model.UnknownEncoderKindException;
import java.util.Locale;
import java.util.Objects;

/**
 * Why a checkpoint was not evaluated. Every reason is bad input, not a transient fault: the checkpoint is never
 * loaded, and the evaluator publishes an {@code EVALUATION_FAILED} metric record (label {@code reason}) plus a dead
 * letter, then goes on to the next checkpoint.
 *
 * @param reason what went wrong
 * @param file   the file concerned ("parameters", or the attachment name), empty when not about a file
 * @param detail human-readable detail naming the file / field and expected vs actual values
 */
public record CheckpointFailure(Reason reason, String file, String detail) {

    /** Failure classes; {@link #label()} is the value of the {@code reason} label. */
    public enum Reason {
        /** The checkpoint event could not be decoded. */
        UNDECODABLE_EVENT,
        /** A field of the event is invalid (e.g. a hash that is not 64 hex digits, a URI that is not a file). */
        INVALID_EVENT,
        /** The encoder spec names a kind this build does not know. */
        UNKNOWN_ENCODER_KIND,
        /** The encoder spec is malformed (missing key, bad number, invalid size). */
        INVALID_ENCODER_SPEC,
        /** The encoder input shape does not match the evaluation dataset's images. */
        INPUT_SHAPE_MISMATCH,
        /** No file at the referenced URI. */
        FILE_MISSING,
        /** The file has another size than recorded (e.g. truncated). */
        SIZE_MISMATCH,
        /** The file's SHA-256 differs from the recorded one. */
        HASH_MISMATCH,
        /** The verified bytes are not parameters of the network / not a replay buffer. */
        MALFORMED,
        /** Loading succeeded but evaluating threw (e.g. non-finite embeddings); the detail has the exception. */
        EVALUATION_ERROR;

        /** Lower-case, hyphenated name, e.g. "hash-mismatch". */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Validates. */
    public CheckpointFailure {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * Classifies a refused file check.
     *
     * @throws IllegalArgumentException for {@link CheckpointCheck.Verified}, which is not a failure
     */
    public static CheckpointFailure of(String file, CheckpointCheck check) {
        if (check instanceof CheckpointCheck.Verified) {
            throw new IllegalArgumentException("check of " + file + " verified (" + check.file()
                    + "); only refusals are failures");
        }
        return new CheckpointFailure(Reason.valueOf(check.label().toUpperCase(Locale.ROOT).replace('-', '_')), file,
                describe(check));
    }

    /** Classifies an encoder-spec parse error. */
    public static CheckpointFailure of(InvalidEncoderSpecException e) {
        return new CheckpointFailure(e instanceof UnknownEncoderKindException ? Reason.UNKNOWN_ENCODER_KIND
                : Reason.INVALID_ENCODER_SPEC, "", e.getMessage());
    }

    /** The value of the {@code reason} label. */
    public String label() {
        return reason.label();
    }

    /** One line: reason, file and detail. */
    public String describe() {
        return reason.label() + (file.isEmpty() ? "" : " (" + file + ")") + ": " + detail;
    }

    private static String describe(CheckpointCheck check) {
        if (check instanceof CheckpointCheck.SizeMismatch m) {
            return m.file() + " has " + m.actualBytes() + " bytes, the checkpoint event says " + m.expectedBytes()
                    + " (truncated or partially copied?)";
        }
        if (check instanceof CheckpointCheck.HashMismatch m) {
            return m.file() + " has SHA-256 " + m.actualSha256() + ", the checkpoint event says " + m.expectedSha256();
        }
        if (check instanceof CheckpointCheck.Malformed m) {
            return m.file() + " verified but could not be read: " + m.reason();
        }
        return check.file() + " does not exist";
    }
}
