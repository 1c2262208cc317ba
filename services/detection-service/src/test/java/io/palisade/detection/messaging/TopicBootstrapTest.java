package io.palisade.detection.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.palisade.common.messaging.TopicBootstrap;
import io.palisade.common.messaging.Topics;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/** Topics made by an older version, with the broker's default record size limit, are brought up to the spec's. */
@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class TopicBootstrapTest {
    @Inject
    TopicBootstrap bootstrap;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aTopicWithTheDefaultRecordSizeLimitIsRaisedToTheSpecsAndAHigherOneIsLeftAlone() throws Exception {
        String old = "palisade.test.old-" + UUID.randomUUID();
        String tuned = "palisade.test.tuned-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(old, Optional.of(1), Optional.empty()),
                    new NewTopic(tuned, Optional.of(1), Optional.empty())
                            .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "16777216"))))
                    .all().get(30, TimeUnit.SECONDS);
            assertEquals("1048588", maxMessageBytes(admin, old), "the broker's default, as an older version left it");

            bootstrap.ensureTopics(List.of(new Topics.TopicSpec(old, 1, false, Topics.MAX_EVENT_RECORD_BYTES),
                    new Topics.TopicSpec(tuned, 1, false, Topics.MAX_EVENT_RECORD_BYTES)));

            assertEquals(Integer.toString(Topics.MAX_EVENT_RECORD_BYTES), maxMessageBytes(admin, old));
            assertEquals("16777216", maxMessageBytes(admin, tuned), "a limit set higher by hand is never lowered");
            admin.deleteTopics(List.of(old, tuned)).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static String maxMessageBytes(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
                .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value();
    }
}
