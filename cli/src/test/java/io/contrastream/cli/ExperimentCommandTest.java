package io.contrastream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExperimentCommandTest {

    @Test
    void shouldPrintTheMatrixAndMetricsAndSaveJsonAndCsv(@TempDir Path dir) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new ExperimentCommand());
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("--dataset", "synthetic", "--data-dir", dir.toString(), "--split", "0,7;8,5",
                "--epochs", "1", "--augmentation", "none", "--buffer", "40", "--batch-size", "64", "--fwt-probe", "5",
                "--output", dir.resolve("out").toString(), "--name", "tiny", "--torch-threads", "1");
        String text = out.toString();
        assertEquals(0, code, text);
        assertTrue(text.contains("accuracy matrix"), text);
        assertTrue(text.contains("averageAccuracy"), text);
        assertTrue(text.contains("Chaudhry"), text);
        assertTrue(text.contains("Lopez-Paz"), text);
        assertTrue(text.contains("10000 train / 2000 test"), text);
        assertTrue(Files.isRegularFile(dir.resolve("out/tiny.json")));
        assertTrue(Files.isRegularFile(dir.resolve("out/tiny-matrix.csv")));
        assertTrue(Files.isRegularFile(dir.resolve("out/tiny-summary.csv")));
    }

    @Test
    void shouldRejectAnUnknownPreset(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ExperimentCommand());
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("--preset", "split-cifar", "--data-dir", dir.toString());
        assertTrue(code != 0);
    }
}
