package io.contrastream.infra;

import java.util.List;

/**
 * What the provisioner found and did.
 *
 * @param created    topics it created
 * @param unchanged  topics that already existed as defined
 * @param mismatched topics that exist but differ from their definition (left as they are)
 */
public record ProvisionReport(List<TopicSpec> created, List<TopicSpec> unchanged, List<Mismatch> mismatched) {
    /** An existing topic that differs from its definition, with each difference spelled out. */
    public record Mismatch(TopicSpec spec, List<String> differences) {
        public Mismatch {
            differences = List.copyOf(differences);
        }
    }

    public ProvisionReport {
        created = List.copyOf(created);
        unchanged = List.copyOf(unchanged);
        mismatched = List.copyOf(mismatched);
    }
}
