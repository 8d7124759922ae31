package io.contrastream.infra;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

import org.apache.kafka.common.errors.RetriableException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * Creates missing topics and reports existing ones that differ from their definition. Idempotent: a second run
 * creates nothing. It never alters or deletes an existing topic; a mismatch is for an operator to decide.
 */
public final class TopicProvisioner {
    private static final Duration RETRY_FOR = Duration.ofSeconds(30);
    private final Admin admin;

    public TopicProvisioner(Admin admin) {
        this.admin = admin;
    }

    /** Provisions {@code specs} on {@code cluster} with a short-lived admin client. */
    public static ProvisionReport provision(KafkaCluster cluster, Collection<TopicSpec> specs) {
        try (Admin admin = Admin.create(KafkaClientConfigs.admin(cluster))) {
            return new TopicProvisioner(admin).provision(specs);
        }
    }

    public ProvisionReport provision(Collection<TopicSpec> specs) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<TopicSpec> created = new ArrayList<>();
            List<TopicSpec> present = new ArrayList<>();
            for (TopicSpec spec : specs) {
                if (existing.contains(spec.name())) {
                    present.add(spec);
                    continue;
                }
                NewTopic topic = new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor())
                        .configs(spec.configs());
                try {
                    admin.createTopics(List.of(topic)).all().get();
                    created.add(spec);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    present.add(spec);
                }
            }
            List<TopicSpec> unchanged = new ArrayList<>();
            List<ProvisionReport.Mismatch> mismatched = new ArrayList<>();
            List<TopicSpec> all = new ArrayList<>(created);
            all.addAll(present);
            if (!all.isEmpty()) {
                // A topic just created (here or by someone else) may not be in every metadata cache yet: wait for it,
                // so that clients started after provisioning find their topics.
                List<String> names = all.stream().map(TopicSpec::name).toList();
                Map<String, TopicDescription> descriptions = retryWhileRetriable(
                        () -> admin.describeTopics(names).allTopicNames().get());
                Map<ConfigResource, Config> configs = retryWhileRetriable(() -> admin.describeConfigs(present.stream()
                        .map(spec -> new ConfigResource(ConfigResource.Type.TOPIC, spec.name())).toList()).all().get());
                for (TopicSpec spec : present) {
                    List<String> differences = differences(spec, descriptions.get(spec.name()),
                            configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name())));
                    if (differences.isEmpty()) {
                        unchanged.add(spec);
                    } else {
                        mismatched.add(new ProvisionReport.Mismatch(spec, differences));
                    }
                }
            }
            return new ProvisionReport(created, unchanged, mismatched);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while provisioning topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot provision topics: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static <T> T retryWhileRetriable(Callable<T> call) throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        while (true) {
            try {
                return call.call();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            } catch (InterruptedException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new ExecutionException(e);
            }
        }
    }

    private static List<String> differences(TopicSpec spec, TopicDescription description, Config config) {
        List<String> differences = new ArrayList<>();
        int partitions = description.partitions().size();
        if (partitions != spec.partitions()) {
            differences.add("partitions " + partitions + ", defined " + spec.partitions());
        }
        int replicas = description.partitions().get(0).replicas().size();
        if (replicas != spec.replicationFactor()) {
            differences.add("replication factor " + replicas + ", defined " + spec.replicationFactor());
        }
        Map<String, String> actual = config.entries().stream()
                .collect(Collectors.toMap(ConfigEntry::name, entry -> String.valueOf(entry.value()), (a, b) -> a));
        spec.configs().forEach((key, expected) -> {
            String value = actual.get(key);
            if (!expected.equals(value)) {
                differences.add(key + " " + value + ", defined " + expected);
            }
        });
        return differences;
    }
}
