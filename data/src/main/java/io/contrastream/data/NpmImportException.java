package io.contrastream.data;

/** {@code npm pack} failed or its archive could not be unpacked; the message says what to check. */
public final class NpmImportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what to try
     * @param cause   underlying error, may be null
     */
    public NpmImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
