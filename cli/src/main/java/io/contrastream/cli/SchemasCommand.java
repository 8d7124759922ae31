package io.contrastream.cli;

import io.contrastream.schemas.codec.EventTypes;
import io.contrastream.schemas.codec.SchemaHistory;
import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.concurrent.Callable;

/** Lists the event schemas with their wire fingerprints, or prints one schema. */
@Command(name = "schemas", mixinStandardHelpOptions = true,
        description = "List every event schema with its single-object fingerprint (the 8 header bytes after C3 01) "
                + "and recorded versions, or print one schema as JSON.")
final class SchemasCommand implements Callable<Integer> {
    @Option(names = "--print", paramLabel = "NAME", description = "Print the current schema of this event (e.g. Sample).")
    String print;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Console console = new Console(spec.commandLine().getOut());
        for (Class<? extends SpecificRecord> type : EventTypes.ALL) {
            Schema schema = SpecificData.get().getSchema(type);
            if (print != null) {
                if (schema.getName().equals(print)) {
                    console.line(SchemaFormatter.format("json/pretty", schema));
                    return 0;
                }
                continue;
            }
            byte[] header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(SchemaHistory.fingerprint(schema)).array();
            console.line("%-16s fingerprint (wire bytes) %s  versions %d", schema.getName(),
                    HexFormat.ofDelimiter(" ").formatHex(header), SchemaHistory.versionsOf(schema.getName()).size());
        }
        if (print != null) {
            throw new ParameterException(spec.commandLine(), "no event schema named '" + print + "'");
        }
        return 0;
    }
}
