package io.contrastream.data;

/** Receives human-readable progress messages from {@link NpmDatasetImporter}. */
@FunctionalInterface
public interface ImportProgress {

    /** Discards all messages. */
    ImportProgress NONE = (dataset, message) -> { };

    /**
     * @param dataset the dataset being imported
     * @param message what just happened
     */
    void report(String dataset, String message);
}
