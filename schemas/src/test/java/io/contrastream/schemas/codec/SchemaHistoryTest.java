package io.contrastream.schemas.codec;

import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The build-time compatibility gate: every current schema is recorded in the history and can read every
 * earlier version. Run with {@code -Dschemas.record=true} once after a deliberate schema change to append
 * the new version to {@code src/main/resources/io/contrastream/schemas/history}.
 */
class SchemaHistoryTest {
    private static final Path HISTORY = Path.of("src/main/resources/io/contrastream/schemas/history");

    @Test
    void shouldRecordEveryCurrentSchemaInHistory() throws IOException {
        for (Class<? extends SpecificRecord> type : EventTypes.ALL) {
            Schema current = SpecificData.get().getSchema(type);
            List<Schema> versions = SchemaHistory.versionsOf(current.getName());
            boolean recorded = !versions.isEmpty()
                    && SchemaHistory.fingerprint(versions.get(versions.size() - 1)) == SchemaHistory.fingerprint(current);
            if (!recorded && Boolean.getBoolean("schemas.record")) {
                Files.createDirectories(HISTORY);
                Path file = HISTORY.resolve(current.getName() + ".v" + (versions.size() + 1) + ".avsc");
                Files.writeString(file, SchemaFormatter.format("json/pretty", current) + "\n", StandardCharsets.UTF_8);
                continue;
            }
            assertTrue(recorded, current.getName() + " changed but its new version is not in the schema history;"
                    + " if the change is deliberate run: mvn -pl schemas test -Dschemas.record=true");
        }
    }

    @Test
    void shouldReadEveryEarlierVersionWithTheCurrentSchema() {
        for (Class<? extends SpecificRecord> type : EventTypes.ALL) {
            Schema current = SpecificData.get().getSchema(type);
            List<Schema> versions = SchemaHistory.versionsOf(current.getName());
            assertFalse(versions.isEmpty(), "no history for " + current.getName());
            for (int i = 0; i < versions.size(); i++) {
                var result = SchemaCompatibility.checkReaderWriterCompatibility(current, versions.get(i));
                if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                    fail(current.getName() + " cannot read its version " + (i + 1) + ": " + result.getResult());
                }
            }
        }
    }

    @Test
    void shouldRejectABreakingChange() {
        Schema old = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");
        Schema addedWithoutDefault = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},"
                        + "{\"name\":\"b\",\"type\":\"string\"}]}");
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.INCOMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(addedWithoutDefault, old).getType());
    }
}
