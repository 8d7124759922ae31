package io.contrastream.infra;

import io.contrastream.infra.testing.SharedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicProvisionerIT {

    @Test
    void shouldCreateMissingTopicsOnceAndReportMismatchedOnes() throws Exception {
        TopicCatalog catalog = new TopicCatalog("p" + UUID.randomUUID().toString().substring(0, 8), 3, (short) 1);
        try (Admin admin = Admin.create(KafkaClientConfigs.admin(SharedKafka.cluster()))) {
            // An operator created the views topic by hand with the wrong partition count.
            admin.createTopics(List.of(new NewTopic(catalog.views().name(), 1, (short) 1))).all().get();
            TopicProvisioner provisioner = new TopicProvisioner(admin);

            ProvisionReport first = provisioner.provision(catalog.all());
            assertEquals(catalog.all().size() - 1, first.created().size());
            assertEquals(1, first.mismatched().size());
            ProvisionReport.Mismatch mismatch = first.mismatched().get(0);
            assertEquals(catalog.views().name(), mismatch.spec().name());
            assertTrue(mismatch.differences().contains("partitions 1, defined 3"), mismatch.differences().toString());

            ProvisionReport second = provisioner.provision(catalog.all());
            assertEquals(0, second.created().size());
            assertEquals(catalog.all().size() - 1, second.unchanged().size());
            assertEquals(1, second.mismatched().size());
        }
    }
}
