package io.contrastream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.cli.bench.ProducerBenchCommand;
import io.contrastream.data.Image;
import io.contrastream.data.ImageCodec;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.testing.SharedKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ProduceCommandsIT {

    private static String run(Callable<Integer> command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        assertEquals(0, rc, out + "\n" + err);
        return out.toString();
    }

    private static String prefix() {
        return "cli" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void shouldProduceViewsOfALimitedSyntheticRun() {
        KafkaCluster cluster = SharedKafka.cluster();
        String out = run(new ProduceCommand(), "--kafka", cluster.bootstrapServers(), "--topic-prefix", prefix(),
                "--dataset", "synthetic", "--schedule", "5x2", "--limit-per-task", "10", "--views", "2",
                "--run-id", "cli-run");
        assertTrue(out.contains("COMPLETED: 100 views of 50 samples, 5 of 5 tasks"), out);
    }

    @Test
    void shouldIngestAnImageFolderAsEncodedImages(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("cat"));
        Files.write(dir.resolve("cat/a.png"), ImageCodec.encodePng(new Image(1, 2, 2, new float[4])));
        Files.write(dir.resolve("cat/b.png"), ImageCodec.encodePng(new Image(1, 2, 2, new float[4])));
        String out = run(new IngestCommand(), "--kafka", SharedKafka.cluster().bootstrapServers(), "--topic-prefix",
                prefix(), "--image-folder", dir.toString(), "--encoded");
        assertTrue(out.contains("COMPLETED: 2 samples"), out);
    }

    @Test
    void shouldAugmentForADurationAndStop() {
        String out = run(new AugmentCommand(), "--kafka", SharedKafka.cluster().bootstrapServers(), "--topic-prefix",
                prefix(), "--duration", "PT2S", "--shape", "1x28x28", "--classes", "0,1");
        assertTrue(out.contains("augmenting") && out.contains("stopping"), out);
    }

    @Test
    void shouldPrintHelpOfTheBenchCommand() {
        String out = run(new ProducerBenchCommand(), "--help");
        assertTrue(out.contains("Usage: producer"), out);
    }
}
