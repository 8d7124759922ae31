package io.contrastream.data;

import java.nio.file.Path;

/**
 * A dataset file is malformed. Names the file, the offending record index (or -1 when the problem is in the
 * header or the file as a whole) and the reason.
 */
public final class DatasetFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final long index;
    private final String reason;

    /**
     * @param file   file (or archive entry) that is malformed
     * @param index  offending record index, or -1 for the header / whole file
     * @param reason what is wrong and, where possible, what to try
     */
    public DatasetFormatException(String file, long index, String reason) {
        this(file, index, reason, null);
    }

    /** As {@link #DatasetFormatException(String, long, String)} with a cause. */
    public DatasetFormatException(String file, long index, String reason, Throwable cause) {
        super(file + (index >= 0 ? " [index " + index + "]" : "") + ": " + reason, cause);
        this.file = file;
        this.index = index;
        this.reason = reason;
    }

    /** Convenience for a path. */
    public DatasetFormatException(Path file, long index, String reason) {
        this(file.toString(), index, reason);
    }

    /** The malformed file. */
    public String file() {
        return file;
    }

    /** Offending record index, or -1. */
    public long index() {
        return index;
    }

    /** The reason without the file/index prefix. */
    public String reason() {
        return reason;
    }
}
