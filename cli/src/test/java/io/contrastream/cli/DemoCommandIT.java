package io.contrastream.cli;

import io.contrastream.infra.TopicCatalog;
import io.contrastream.infra.TopicSpec;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoCommandIT {

    @Test
    void shouldStartTheBrokerProvisionEveryTopicAndStopCleanly() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = ContrastreamCli.commandLine();
        commandLine.setOut(new PrintWriter(out));
        int exit = commandLine.execute("demo", "--duration", "PT1S", "--topic-prefix", "democheck");
        assertEquals(0, exit, out.toString());
        for (TopicSpec spec : new TopicCatalog("democheck", 4, (short) 1).all()) {
            assertTrue(out.toString().contains(spec.name()), "demo did not report " + spec.name() + ":\n" + out);
        }
        assertTrue(out.toString().contains("stopped cleanly"), out.toString());
    }
}
