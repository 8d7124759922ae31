package io.contrastream.cli;

import io.contrastream.infra.TopicCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoCommandIT {
    static {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    @Test
    void shouldRunThePipelineEndToEndAndStopCleanly(@TempDir Path dataDir, @TempDir Path workDir) {
        StringWriter out = new StringWriter();
        CommandLine commandLine = ContrastreamCli.commandLine();
        commandLine.setOut(new PrintWriter(out));
        int exit = commandLine.execute("demo", "--topic-prefix", "democheck", "--dataset", "synthetic",
                "--data-dir", dataDir.toString(), "--work-dir", workDir.toString(), "--schedule", "0,1;2,3", "--limit-per-task", "96",
                "--batch-size", "16", "--checkpoint-every", "4", "--replay-buffer", "40", "--max-test-samples", "200",
                "--http-port", "0", "--no-serve", "--duration", "PT5M");
        String text = out.toString();
        assertEquals(0, exit, text);
        int topics = new TopicCatalog("democheck", 4, (short) 1).all().size();
        assertTrue(text.contains("topics: " + topics + " created"), "every topic provisioned: " + text);
        Matcher summary = Pattern.compile("(\\d+) checkpoints, (\\d+) evaluated, (\\d+) failed").matcher(text);
        assertTrue(summary.find(), text);
        int checkpoints = Integer.parseInt(summary.group(1));
        assertTrue(checkpoints >= 2, "a checkpoint at each of the two task ends at least: " + text);
        assertEquals(checkpoints, Integer.parseInt(summary.group(2)), "every checkpoint evaluated: " + text);
        assertEquals("0", summary.group(3), text);
        // 2 tasks x 96 samples / batch 16: every sample trained, or dropped, or in an update the divergence guard
        // skipped (reported in the summary), and none twice
        Matcher trained = Pattern.compile("trained (\\d+) steps on (\\d+) samples \\((\\d+) dropped, 0 dead-lettered"
                + "(?:, (\\d+) updates skipped \\((\\d+) samples)?").matcher(text);
        assertTrue(trained.find(), text);
        int skippedSteps = trained.group(4) == null ? 0 : Integer.parseInt(trained.group(4));
        int skippedSamples = trained.group(5) == null ? 0 : Integer.parseInt(trained.group(5));
        assertEquals(12, Integer.parseInt(trained.group(1)) + skippedSteps, text);
        assertEquals(192, Integer.parseInt(trained.group(2)) + Integer.parseInt(trained.group(3)) + skippedSamples,
                text);
        assertTrue(text.contains("cl: NME over 40 exemplars of classes [0, 1, 2, 3]"),
                "class-incremental metrics over the replay buffer at the last task end: " + text);
        assertTrue(text.contains("after task 1:"), "accuracy matrix printed: " + text);
        // 200 test samples <= the fast suite's 2000 queries: nothing sampled, so the summary ranks the exact series
        assertTrue(Pattern.compile("best recall@1 +\\d\\.\\d{4} at step \\d+ \\(task \\d+, exact\\)").matcher(text)
                .find(), "best recall@1 names its series: " + text);
        assertTrue(text.contains("best knn-accuracy[k="), "knn-accuracy is only published with labels: " + text);
        assertTrue(!Pattern.compile("best \\S*queries=").matcher(text).find(), "no sampled series: " + text);
        assertTrue(text.contains("stopped cleanly"), text);
    }
}
