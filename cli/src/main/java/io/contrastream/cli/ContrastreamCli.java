package io.contrastream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code contrastream} command: one subcommand per worker kind and tool. */
@Command(name = "contrastream", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Event-driven contrastive and continual learning on Apache Kafka.",
        subcommands = {
                DemoCommand.class,
                TopicsCommand.class,
                SchemasCommand.class,
                ImportNpmCommand.class,
                ProduceCommand.class,
                IngestCommand.class,
                AugmentCommand.class,
                TrainCommand.class,
                EvalCommand.class,
                MineCommand.class,
                AggregateCommand.class,
                ExperimentCommand.class,
                io.contrastream.cli.bench.BenchCommand.class,
                CommandLine.HelpCommand.class
        })
public final class ContrastreamCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line with our printer and error handling, for {@code main} and tests. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new ContrastreamCli());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("error: " + e.getMessage()));
            if (Boolean.getBoolean("contrastream.stacktrace")) {
                e.printStackTrace(cmd.getErr());
            } else {
                cmd.getErr().println("(run with -Dcontrastream.stacktrace=true for the stack trace)");
            }
            return 1;
        });
        return commandLine;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
