package io.contrastream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.cli.bench.EvalBenchCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EvalCommandsTest {

    private static String help(Object command) {
        StringWriter out = new StringWriter();
        CommandLine line = new CommandLine(command);
        line.setOut(new PrintWriter(out));
        assertEquals(0, line.execute("--help"));
        return out.toString();
    }

    @Test
    void shouldDescribeTheEvaluatorAggregatorAndBenchmarkOptions() {
        String eval = help(new EvalCommand());
        assertTrue(eval.contains("--suite") && eval.contains("--max-test-samples") && eval.contains("--kafka"), eval);
        assertTrue(eval.contains("--fast-queries=N|all") && eval.replaceAll("\\s+", " ").contains("Default: 2000"),
                eval);
        String aggregate = help(new AggregateCommand());
        assertTrue(aggregate.contains("--http-port") && aggregate.contains("8088"), aggregate);
        String bench = help(new EvalBenchCommand());
        assertTrue(bench.contains("--steps") && bench.contains("--no-full"), bench);
    }

    @Test
    void shouldRejectAnUnknownSuiteBeforeConnecting() {
        StringWriter err = new StringWriter();
        CommandLine line = new CommandLine(new EvalCommand());
        line.setErr(new PrintWriter(err));
        assertEquals(1, line.execute("--suite", "medium", "--kafka", "localhost:1"));
        assertTrue(err.toString().contains("unknown metric suite 'medium'"), err.toString());
    }

    private static String failure(String... args) {
        StringWriter err = new StringWriter();
        CommandLine line = new CommandLine(new EvalCommand());
        line.setErr(new PrintWriter(err));
        assertTrue(line.execute(args) != 0, String.join(" ", args));
        return err.toString();
    }

    @Test
    void shouldParseAndValidateFastQueriesBeforeConnecting() {
        CommandLine line = new CommandLine(new EvalCommand());
        assertEquals(0, EvalCommand.parseQueries(line, "all"));
        assertEquals(0, EvalCommand.parseQueries(line, "ALL"));
        assertEquals(0, EvalCommand.parseQueries(line, "0"));
        assertEquals(2500, EvalCommand.parseQueries(line, "2500"));
        String negative = failure("--fast-queries", "-5", "--kafka", "localhost:1");
        assertTrue(negative.contains("EvaluatorConfig.queries -5 must be >= 0"), negative);
        String word = failure("--fast-queries", "lots", "--kafka", "localhost:1");
        assertTrue(word.contains("--fast-queries 'lots' is neither a number nor 'all'"), word);
        String full = failure("--suite", "full", "--fast-queries", "100", "--kafka", "localhost:1");
        assertTrue(full.contains("--fast-queries applies to the fast suite only"), full);
    }

    @Test
    void shouldValidateTheDemosFastQueriesBeforeConnecting(@org.junit.jupiter.api.io.TempDir java.nio.file.Path work) {
        assertTrue(help(new DemoCommand()).contains("--fast-queries=N|all"));
        StringWriter err = new StringWriter();
        CommandLine line = new CommandLine(new DemoCommand());
        line.setErr(new PrintWriter(err));
        assertTrue(line.execute("--fast-queries", "-3", "--work-dir", work.toString(), "--kafka", "localhost:1") != 0);
        assertTrue(err.toString().contains("fastQueries -3 must be >= 0"), err.toString());
    }
}
