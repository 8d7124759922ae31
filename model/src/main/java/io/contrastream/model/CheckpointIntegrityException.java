package io.contrastream.model;

/** A checkpoint or blob failed verification; the message names the file and the expected and actual values. */
public final class CheckpointIntegrityException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient CheckpointCheck check;

    public CheckpointIntegrityException(CheckpointCheck check) {
        super(describe(check));
        this.check = check;
    }

    /** The refusal this exception reports. */
    public CheckpointCheck check() {
        return check;
    }

    static String describe(CheckpointCheck check) {
        if (check instanceof CheckpointCheck.Missing m) {
            return "checkpoint file " + m.file() + " is missing; check the path and that the writer finished";
        } else if (check instanceof CheckpointCheck.SizeMismatch s) {
            return "checkpoint file " + s.file() + " has " + s.actualBytes() + " bytes, expected "
                    + s.expectedBytes() + " (truncated or partially copied?)";
        } else if (check instanceof CheckpointCheck.HashMismatch h) {
            return "checkpoint file " + h.file() + " SHA-256 mismatch: expected " + h.expectedSha256()
                    + ", actual " + h.actualSha256() + " (corrupted or overwritten?)";
        } else if (check instanceof CheckpointCheck.Malformed m) {
            return "checkpoint file " + m.file() + " verified but is not loadable: " + m.reason()
                    + " (was it written for a different EncoderSpec?)";
        }
        return "checkpoint file " + check.file() + " verified";
    }
}
