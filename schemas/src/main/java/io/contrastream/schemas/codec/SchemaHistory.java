package io.contrastream.schemas.codec;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Every published version of every event schema, oldest first, as shipped in
 * {@code io/contrastream/schemas/history/<Name>.v<N>.avsc}. A reader registers all of them so it decodes
 * records written by any earlier writer without a registry.
 *
 * <p>To change a schema: edit {@code schemas/src/main/avro/<Name>.avsc}, then copy the new schema to the
 * next history file. {@code SchemaHistoryTest} fails until the current schema is recorded, and fails if it
 * cannot read every earlier version.
 */
public final class SchemaHistory {
    private static final String ROOT = "/io/contrastream/schemas/history/";

    private SchemaHistory() {
    }

    /** All recorded versions of the event whose Avro name is {@code simpleName}, oldest first. */
    public static List<Schema> versionsOf(String simpleName) {
        List<Schema> versions = new ArrayList<>();
        for (int version = 1; ; version++) {
            String resource = ROOT + simpleName + ".v" + version + ".avsc";
            try (InputStream in = SchemaHistory.class.getResourceAsStream(resource)) {
                if (in == null) {
                    return versions;
                }
                versions.add(new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read schema history file " + resource, e);
            }
        }
    }

    /** The 64-bit CRC-64-AVRO fingerprint of a schema's parsing canonical form, as single-object encoding writes it. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }
}
