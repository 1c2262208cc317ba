package io.palisade.plan.rest;

import static io.palisade.testsupport.EndpointSecurity.Endpoint.change;
import static io.palisade.testsupport.EndpointSecurity.Endpoint.read;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.palisade.testsupport.EndpointSecurity;
import io.palisade.testsupport.EndpointSecurity.Endpoint;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/** Every endpoint of plan-service checks the caller itself: role and scopes. */
@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class EndpointSecurityTest {

    @Test
    void everyEndpointChecksTheCallerItself() {
        EndpointSecurity.assertEveryEndpointChecksTheCaller(endpointsOf(PlanResourceTest.knownConnector()));
    }

    @Test
    void theConnectorsPlansAreHiddenFromCallersScopedToAnother() {
        String connector = PlanResourceTest.knownConnector();
        EndpointSecurity.assertEveryEndpointHidesTheConnectorBeyondScopes(connector, endpointsOf(connector));
    }

    private static List<Endpoint> endpointsOf(String connector) {
        String p = "/api/plans/" + connector;
        return List.of(
                read(p),
                read(p + "/Containers"),
                change("PUT", p + "/Containers", "{\"pricingTier\":\"Standard\"}"),
                change("POST", p + "/Kubernetes/upgrade", null),
                read(p + "/history"));
    }
}
