package io.contrastream.model;

/** Refusal to write a checkpoint whose parameters contain NaN or infinity. */
public final class NonFiniteParametersException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String parameterName;

    public NonFiniteParametersException(String checkpointName, String parameterName) {
        super("refusing to write checkpoint '" + checkpointName + "': parameter '" + parameterName
                + "' contains NaN or infinite values; the model has diverged, restore the last good checkpoint and"
                + " lower the learning rate or enable gradient clipping");
        this.parameterName = parameterName;
    }

    /** Name of the first parameter found to be non-finite. */
    public String parameterName() {
        return parameterName;
    }
}
