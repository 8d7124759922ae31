package io.contrastream.infra;

/** A cluster address that did not answer: names the address and what to check. */
public final class ClusterUnreachableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
