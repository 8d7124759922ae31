package io.contrastream.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliHelpTest {

    @Test
    void shouldPrintHelpForEverySubcommand() {
        CommandLine root = ContrastreamCli.commandLine();
        for (String name : root.getSubcommands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            StringWriter out = new StringWriter();
            CommandLine commandLine = ContrastreamCli.commandLine();
            commandLine.setOut(new PrintWriter(out));
            assertEquals(0, commandLine.execute(name, "--help"), name + " --help");
            assertTrue(out.toString().contains("Usage: contrastream " + name), out.toString());
        }
    }

    @Test
    void shouldRejectAnUnknownOptionNamingIt() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = ContrastreamCli.commandLine();
        commandLine.setErr(new PrintWriter(err));
        assertEquals(2, commandLine.execute("demo", "--no-such-option"));
        assertTrue(err.toString().contains("--no-such-option"), err.toString());
    }
}
