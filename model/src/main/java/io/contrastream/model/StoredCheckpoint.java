package io.contrastream.model;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a checkpoint (or blob) file was written and what it must hash to: the triple to put in an event so a reader
 * can verify the file before using it.
 *
 * @param uri       absolute {@code file:} URI of the final (renamed) file
 * @param sha256Hex lower-case hex SHA-256 of the file's bytes
 * @param byteSize  file size in bytes
 */
public record StoredCheckpoint(URI uri, String sha256Hex, long byteSize) {
    public StoredCheckpoint {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(sha256Hex, "sha256Hex");
        sha256Hex = sha256Hex.toLowerCase(Locale.ROOT);
        if (!sha256Hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("StoredCheckpoint.sha256Hex must be 64 hex digits, got '" + sha256Hex + "'");
        }
        if (byteSize < 0) {
            throw new IllegalArgumentException("StoredCheckpoint.byteSize must be >= 0, got " + byteSize);
        }
    }
}
