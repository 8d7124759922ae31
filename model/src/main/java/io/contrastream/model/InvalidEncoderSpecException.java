package io.contrastream.model;

/**
 * Thrown when an {@link EncoderSpec} (or its string-map form) is invalid. The message names the offending field and
 * says what is accepted.
 */
public class InvalidEncoderSpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidEncoderSpecException(String field, String message) {
        super("EncoderSpec." + field + ": " + message);
        this.field = field;
    }

    /** The name of the field that failed validation. */
    public String field() {
        return field;
    }
}
