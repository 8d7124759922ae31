package io.contrastream.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.contrastream.model.EncoderSpec;
import io.contrastream.model.replay.ReplayPolicy;
import io.contrastream.trainer.ReplaySettings;
import io.contrastream.trainer.TrainerConfig;
import io.contrastream.trainer.optim.OptimizerConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TrainCommandTest {
    @Test
    void shouldBuildTheTrainerConfigFromOptions() {
        TrainCommand command = new TrainCommand();
        new CommandLine(command).parseArgs("--run-id", "r7", "--encoder", "cnn", "--hidden", "8,16",
                "--input-shape", "1,8,8", "--loss", "supcon", "--temperature", "0.1", "--optimizer", "sgd",
                "--lr", "0.05", "--batch-size", "64", "--views", "3", "--checkpoint-every", "10", "--seed", "5",
                "--max-steps", "100", "--topic-prefix", "demo");
        TrainerConfig config = command.config();
        assertEquals("r7", config.runId());
        assertEquals(EncoderSpec.Kind.CNN, config.encoder().kind());
        assertEquals(List.of(8, 16), config.encoder().hiddenSizes());
        assertArrayEquals(new int[] {1, 8, 8}, config.encoder().inputShape());
        assertEquals("supcon", config.loss().name());
        assertEquals(OptimizerConfig.Algorithm.SGD, config.optimizer().algorithm());
        assertEquals(0.9f, config.optimizer().momentum());
        assertEquals(64, config.batchSize());
        assertEquals(512, config.maxBufferedSamples(), "default high-water is 8 * batch size");
        assertEquals(3, config.views());
        assertEquals(10, config.checkpointEverySteps());
        assertEquals(100, config.maxSteps());
        assertEquals(Path.of(".contrastream/checkpoints"), config.checkpointDir());
        assertEquals("demo.trainer.r7", config.groupId());
        assertEquals("demo.trainer.r7.0", config.transactionalId());
    }

    @Test
    void shouldTurnReplayOnFromOptions() {
        TrainCommand command = new TrainCommand();
        new CommandLine(command).parseArgs("--run-id", "r7", "--replay-buffer", "500", "--replay-policy",
                "class-balanced", "--replay-ratio", "0.25", "--replay-augmentation", "none");
        ReplaySettings replay = command.config().replay();
        assertEquals(500, replay.capacity());
        assertEquals(ReplayPolicy.CLASS_BALANCED, replay.policy());
        assertEquals(0.25, replay.ratio());
        assertEquals("none", replay.presetFor(1));

        TrainCommand defaults = new TrainCommand();
        new CommandLine(defaults).parseArgs("--run-id", "r7");
        assertFalse(defaults.config().replay().enabled(), "replay is off unless --replay-buffer > 0");
        assertEquals(0.5, defaults.config().replay().ratio());
        assertEquals("digits", defaults.config().replay().presetFor(1));
    }

    @Test
    void shouldPassLossParameters() {
        TrainCommand command = new TrainCommand();
        new CommandLine(command).parseArgs("--run-id", "r7", "--replay-buffer", "500", "--loss-param",
                "rehearsal.weight=0.5", "--loss-param", "mochi.hardest=8");
        assertEquals(java.util.Map.of("rehearsal.weight", "0.5", "mochi.hardest", "8"),
                command.config().loss().params());

        TrainCommand noReplay = new TrainCommand();
        new CommandLine(noReplay).parseArgs("--run-id", "r7", "--loss-param", "rehearsal.weight=0.5");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                noReplay::config);
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("--replay-buffer"), e.getMessage());
        int exit = new CommandLine(new TrainCommand()).execute("--run-id", "r7", "--loss-param", "mochi.k=3",
                "--kafka", "localhost:1");
        assertNotEquals(0, exit);
    }

    @Test
    void shouldTurnHardNegativesOnFromOptions() {
        TrainCommand command = new TrainCommand();
        new CommandLine(command).parseArgs("--run-id", "r7", "--hard-negatives", "4", "--negative-cache-size",
                "300");
        TrainerConfig config = command.config();
        assertEquals(4, config.hardNegatives());
        assertEquals(300, config.negativeCacheSize());
        assertEquals("4", config.toMap().get("hardNegatives"));

        TrainCommand defaults = new TrainCommand();
        new CommandLine(defaults).parseArgs("--run-id", "r7");
        assertEquals(0, defaults.config().hardNegatives(), "hard negatives are off by default");
        assertEquals(20_000, defaults.config().negativeCacheSize());

        TrainCommand co2l = new TrainCommand();
        new CommandLine(co2l).parseArgs("--run-id", "r7", "--loss", "co2l", "--replay-buffer", "50",
                "--hard-negatives", "2");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                co2l::config);
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("TrainerConfig.loss ignores explicit"
                + " negatives"), e.getMessage());
        int exit = new CommandLine(new TrainCommand()).execute("--run-id", "r7", "--hard-negatives", "-1",
                "--kafka", "localhost:1");
        assertNotEquals(0, exit);
    }

    @Test
    void shouldRejectAnUnknownReplayPolicy() {
        int exit = new CommandLine(new TrainCommand()).execute("--run-id", "r7", "--replay-buffer", "10",
                "--replay-policy", "fifo", "--kafka", "localhost:1");
        assertNotEquals(0, exit);
    }

    @Test
    void shouldRejectAMissingRunId() {
        int exit = new CommandLine(new TrainCommand()).execute("--max-steps", "1");
        assertNotEquals(0, exit);
    }
}
