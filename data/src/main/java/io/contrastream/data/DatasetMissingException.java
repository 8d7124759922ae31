package io.contrastream.data;

import java.nio.file.Path;
import java.util.List;

/** The files of a dataset are not in the data directory; the message says which command creates them. */
public final class DatasetMissingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<Path> missing;

    /**
     * @param dataset dataset name
     * @param missing missing files
     * @param remedy  what to run or do to create them
     */
    public DatasetMissingException(String dataset, List<Path> missing, String remedy) {
        super("Dataset '" + dataset + "' is not available: missing " + missing + ". " + remedy);
        this.missing = List.copyOf(missing);
    }

    /** The missing files. */
    public List<Path> missing() {
        return missing;
    }
}
