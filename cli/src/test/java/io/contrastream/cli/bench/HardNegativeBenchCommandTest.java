package io.contrastream.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.cli.ContrastreamCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HardNegativeBenchCommandTest {

    @Test
    void shouldBeABenchSubcommandWithHelp() {
        StringWriter out = new StringWriter();
        CommandLine line = ContrastreamCli.commandLine();
        line.setOut(new PrintWriter(out));
        assertEquals(0, line.execute("bench", "hard-negatives", "--help"));
        String help = out.toString();
        assertTrue(help.contains("Usage: contrastream bench hard-negatives") && help.contains("--hard-negatives=M")
                && help.contains("--output-dir") && help.contains("hard-negatives.md"), help);
    }

    @Test
    void shouldParseOneMOrAList() {
        HardNegativeBenchCommand defaults = new HardNegativeBenchCommand();
        new CommandLine(defaults).parseArgs();
        assertEquals(List.of(4), defaults.hardNegatives);
        assertEquals(Path.of("benchmarks/results"), defaults.outputDir);
        HardNegativeBenchCommand list = new HardNegativeBenchCommand();
        new CommandLine(list).parseArgs("--hard-negatives", "2,4", "--steps", "12", "--output-dir", "/tmp/x");
        assertEquals(List.of(2, 4), list.hardNegatives);
        assertEquals(12, list.steps);
        assertEquals(Path.of("/tmp/x"), list.outputDir);
    }
}
