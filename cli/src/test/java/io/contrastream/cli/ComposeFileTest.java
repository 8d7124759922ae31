package io.contrastream.cli;

import io.contrastream.infra.TopicCatalog;
import io.contrastream.infra.TopicSpec;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** No Docker engine here: the compose file is checked against the code instead of being run. */
class ComposeFileTest {
    private static final Path COMPOSE = Path.of("..", "docker-compose.yml");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services() throws IOException {
        try (Reader reader = Files.newBufferedReader(COMPOSE)) {
            Map<String, Object> compose = new Yaml().load(reader);
            return (Map<String, Object>) compose.get("services");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldRunOnlyRealSubcommandsWithValidOptions() throws IOException {
        int checked = 0;
        for (Map.Entry<String, Object> service : services().entrySet()) {
            Map<String, Object> definition = (Map<String, Object>) service.getValue();
            if (!"contrastream:latest".equals(definition.get("image"))) {
                continue;
            }
            Object command = definition.get("command");
            if (!(command instanceof List<?> args) || args.isEmpty()) {
                fail("service " + service.getKey() + " must give its command as a non-empty list");
                return;
            }
            String[] argv = args.stream().map(String::valueOf).toArray(String[]::new);
            try {
                CommandLine.ParseResult parsed = ContrastreamCli.commandLine().parseArgs(argv);
                assertTrue(parsed.hasSubcommand(), "service " + service.getKey() + " runs no subcommand");
            } catch (CommandLine.ParameterException e) {
                fail("service " + service.getKey() + " has an invalid command " + args + ": " + e.getMessage());
            }
            checked++;
        }
        assertTrue(checked >= 1, "no contrastream service found");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldReserveAGpuForTheTrainerWhenItExists() throws IOException {
        Map<String, Object> trainer = (Map<String, Object>) services().get("trainer");
        if (trainer == null) {
            assertFalse(Files.readString(COMPOSE).contains("\"train\""), "a train command outside the trainer service");
            return;
        }
        String deploy = String.valueOf(trainer.get("deploy"));
        assertTrue(deploy.contains("gpu") && deploy.contains("nvidia"), "trainer must reserve an nvidia GPU: " + deploy);
    }

    @Test
    void shouldNameOnlyTopicsTheCodeDefines() throws IOException {
        Set<String> defined = TopicCatalog.defaults().all().stream().map(TopicSpec::name).collect(Collectors.toSet());
        Matcher matcher = Pattern.compile("\\bcontrastream\\.[a-z-]+").matcher(Files.readString(COMPOSE));
        while (matcher.find()) {
            assertTrue(defined.contains(matcher.group()), "docker-compose.yml names topic " + matcher.group()
                    + " which the code does not define; defined: " + defined);
        }
    }
}
