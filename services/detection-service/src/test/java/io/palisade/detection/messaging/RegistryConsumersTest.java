package io.palisade.detection.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.palisade.common.events.ConnectorEvent;
import io.palisade.common.messaging.EventCodec;
import io.palisade.common.messaging.Topics;
import io.palisade.detection.persistence.ConnectorRegistration;
import io.palisade.testsupport.KafkaTestClient;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class RegistryConsumersTest {
    @Test
    void anOnPremisesConnectorWithoutHierarchyIdentifierIsRegisteredNotDeadLettered() {
        // connector-service allows an OnPrem connector without one (found by IngestAndApiFuzzTest: it went to the DLQ)
        UUID connectorId = UUID.randomUUID();
        KafkaTestClient.send(Topics.CONNECTORS, connectorId.toString(), EventCodec.encode(
                ConnectorEvent.of(connectorId, "OnPrem", "rack 7", null, Instant.now())));

        ConnectorRegistration registered = Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> QuarkusTransaction.requiringNew().call(
                        () -> ConnectorRegistration.<ConnectorRegistration>findById(connectorId)), r -> r != null);
        assertEquals("OnPrem", registered.environment);
        assertNull(registered.hierarchyIdentifier);
        assertTrue(KafkaTestClient.readToEnd(Topics.CONNECTORS_DLQ).stream()
                .noneMatch(r -> connectorId.toString().equals(r.key())), "the connector's record was dead-lettered");
    }
}
