package io.palisade.detection.rest;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.palisade.common.api.Page;
import io.palisade.common.security.Roles;
import io.palisade.detection.engine.DetectionRule;
import io.palisade.detection.engine.FieldCatalogue;
import io.palisade.detection.service.RuleCatalogue;

/** The built-in detection rules and the audit-event fields rules can use. */
@Path("/api/rules")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
public class RuleResource {
    private final RuleCatalogue catalogue;

    public RuleResource(RuleCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    public record RuleView(String id, String alertType, String displayName, String description, String severity,
            List<String> intent, List<String> techniques, List<String> exceptions, List<String> remediationSteps) {
        static RuleView of(DetectionRule r) {
            return new RuleView(r.id(), r.alertType(), r.displayName(), r.description(), r.severity().name(),
                    r.intent(), r.techniques(), r.exceptions().stream().map(DetectionRule.RuleException::name).toList(),
                    r.remediationSteps());
        }
    }

    public record FieldsView(Map<String, String> fields, Map<String, String> pathPrefixes) {
    }

    @GET
    public Page<RuleView> list() {
        return new Page<>(catalogue.engine().rules().stream().map(RuleView::of).toList(), null);
    }

    @GET
    @Path("fields")
    public FieldsView fields() {
        return new FieldsView(FieldCatalogue.FIELDS, FieldCatalogue.PREFIXES);
    }
}
