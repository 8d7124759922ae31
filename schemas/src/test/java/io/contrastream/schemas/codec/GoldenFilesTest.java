package io.contrastream.schemas.codec;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Serialized events of each schema version stay in {@code src/test/resources/golden/<Name>-v<N>.bin} and must
 * still decode to the same content. Run with {@code -Dschemas.record=true} to write the files of a new version.
 */
class GoldenFilesTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void shouldDecodeEveryGoldenFileToItsRecordedContent() throws IOException {
        for (SpecificRecord expected : SampleEvents.all()) {
            EventCodec codec = EventCodec.of(expected.getClass());
            String name = codec.schema().getName();
            int versions = SchemaHistory.versionsOf(name).size();
            if (Boolean.getBoolean("schemas.record")) {
                Path file = GOLDEN.resolve(name + "-v" + versions + ".bin");
                if (!Files.exists(file)) {
                    Files.createDirectories(GOLDEN);
                    Files.write(file, codec.encode(expected));
                }
            }
            for (int version = 1; version <= versions; version++) {
                Path file = GOLDEN.resolve(name + "-v" + version + ".bin");
                assertTrue(Files.exists(file), "missing golden file " + file + "; write it with -Dschemas.record=true");
                Object decoded = codec.decode(Files.readAllBytes(file));
                if (version == versions) {
                    assertEquals(expected, decoded, file.toString());
                } else {
                    assertEquals(name, ((SpecificRecord) decoded).getSchema().getName(), file.toString());
                }
            }
        }
    }
}
