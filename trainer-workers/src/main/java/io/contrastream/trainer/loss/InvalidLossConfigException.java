package io.contrastream.trainer.loss;

/** A {@link LossConfig} (or its map form) is invalid; the message names the field or parameter key. */
public final class InvalidLossConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidLossConfigException(String field, String message) {
        super("LossConfig." + field + ": " + message);
        this.field = field;
    }

    /** The offending field or parameter key. */
    public String field() {
        return field;
    }
}
