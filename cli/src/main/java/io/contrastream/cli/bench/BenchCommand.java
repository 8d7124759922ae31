package io.contrastream.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Benchmarks that report ratios measured side by side in one run; results go to {@code benchmarks/results}. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark; each measures its subject and its baseline side by side in one run and "
                + "writes JSON and Markdown to benchmarks/results.",
        subcommands = {ProducerBenchCommand.class, TrainerBenchCommand.class, HardNegativeBenchCommand.class,
                EvalBenchCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
