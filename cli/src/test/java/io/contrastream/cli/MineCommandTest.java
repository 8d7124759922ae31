package io.contrastream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MineCommandTest {

    @Test
    void shouldDescribeTheMinerOptionsWithTheirDefaults() {
        StringWriter out = new StringWriter();
        picocli.CommandLine line = ContrastreamCli.commandLine();
        line.setOut(new PrintWriter(out));
        assertEquals(0, line.execute("mine", "--help"));
        String help = out.toString().replaceAll("\\s+", " ");
        for (String option : new String[] {"--run-id", "--dataset", "--data-dir", "--pool", "--negatives", "--kafka"}) {
            assertTrue(help.contains(option), option + " in " + help);
        }
        assertTrue(help.contains("Default: 10000") && help.contains("Default: 8"), help);
    }

    @Test
    void shouldRequireARunIdAndValidateBeforeConnecting() {
        StringWriter err = new StringWriter();
        picocli.CommandLine line = ContrastreamCli.commandLine();
        line.setErr(new PrintWriter(err));
        assertEquals(2, line.execute("mine", "--dataset", "synthetic"));
        assertTrue(err.toString().contains("--run-id"), err.toString());

        StringWriter invalid = new StringWriter();
        line = ContrastreamCli.commandLine();
        line.setErr(new PrintWriter(invalid));
        assertEquals(1, line.execute("mine", "--run-id", "r", "--dataset", "synthetic", "--negatives", "0",
                "--kafka", "localhost:1"));
        assertTrue(invalid.toString().contains("negativesPerAnchor must be >= 1"), invalid.toString());
    }
}
