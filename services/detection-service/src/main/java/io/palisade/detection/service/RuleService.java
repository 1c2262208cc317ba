package io.palisade.detection.service;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palisade.common.messaging.EventCodec;
import io.palisade.common.problem.ProblemException;
import io.palisade.detection.engine.DetectionRule;
import io.palisade.detection.engine.IpLists;
import io.palisade.detection.engine.RuleDefinitionException;
import io.palisade.detection.persistence.RuleStore;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Changes to the catalogue by security admins: custom rules (create, update, delete), turning any rule off or on,
 * and the threat-intelligence IP lists. Each change is validated like the shipped catalogue, committed, and then in
 * force at once on this replica (the others follow within the refresh interval).
 */
@ApplicationScoped
public class RuleService {
    private static final Pattern LIST_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,79}");
    private static final int MAX_LIST_ENTRIES = 200_000;
    private static final int MAX_ENTRY_LENGTH = 49;

    private final RuleCatalogue catalogue;
    private final RuleStore store;

    public RuleService(RuleCatalogue catalogue, RuleStore store) {
        this.catalogue = catalogue;
        this.store = store;
    }

    public RuleCatalogue.CatalogueRule create(JsonNode definition, String user) {
        DetectionRule rule = validate(definition, null);
        if (catalogue.isShipped(rule.id())) {
            throw ProblemException.conflict("'" + rule.id() + "' is the id of a shipped rule; choose another id");
        }
        change(() -> {
            if (store.customRuleExists(rule.id())) {
                throw ProblemException.conflict("A custom rule '" + rule.id() + "' already exists; update it with PUT");
            }
            store.insertCustomRule(rule.id(), EventCodec.encode(definition), user);
        }, "A custom rule '" + rule.id() + "' was created at the same time; update it with PUT");
        return catalogue.rule(rule.id());
    }

    public RuleCatalogue.CatalogueRule update(String id, JsonNode definition, String user) {
        refuseShipped(id, "changed");
        if (definition != null && definition.isObject() && !definition.has("id")) {
            ((ObjectNode) definition).put("id", id);
        }
        validate(definition, id);
        change(() -> {
            if (!store.updateCustomRule(id, EventCodec.encode(definition), user)) {
                throw ProblemException.notFound("Rule", id);
            }
        });
        return catalogue.rule(id);
    }

    public void delete(String id) {
        refuseShipped(id, "deleted");
        change(() -> {
            if (!store.deleteCustomRule(id)) {
                throw ProblemException.notFound("Rule", id);
            }
        });
    }

    public RuleCatalogue.CatalogueRule setEnabled(String id, boolean enabled, String user) {
        change(() -> {
            if (catalogue.isShipped(id)) {
                store.setShippedRuleEnabled(id, enabled, user);
            } else if (!store.setCustomRuleEnabled(id, enabled, user)) {
                throw ProblemException.notFound("Rule", id);
            }
        });
        return catalogue.rule(id);
    }

    public void replaceIpList(String name, List<String> entries, String user) {
        if (!LIST_NAME.matcher(name).matches()) {
            throw ProblemException.badRequest("name", "a list name is 1-80 characters of a-z, 0-9 and '-'");
        }
        if (catalogue.ipListFile(name) != null) {
            throw ProblemException.conflict("IP list '" + name + "' is kept in the file " + catalogue.ipListFile(name)
                    + " (palisade.detection.ip-list-files." + name + "); change the file instead");
        }
        if (entries.size() > MAX_LIST_ENTRIES) {
            throw ProblemException.badRequest("entries", "at most " + MAX_LIST_ENTRIES + " entries per list");
        }
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            if (entry == null || entry.isBlank() || entry.strip().length() > MAX_ENTRY_LENGTH) {
                throw ProblemException.badRequest("entries", "entry " + i + " is empty or longer than "
                        + MAX_ENTRY_LENGTH + " characters; give an IP address or CIDR range");
            }
        }
        String invalid = IpLists.firstInvalid(entries);
        if (invalid != null) {
            throw ProblemException.badRequest("entries", "'" + invalid + "' is not an IP address or CIDR range");
        }
        change(() -> store.replaceIpList(name, entries.stream().map(String::strip).distinct().toList(), user));
    }

    private DetectionRule validate(JsonNode definition, String expectedId) {
        DetectionRule rule;
        try {
            rule = catalogue.validate(definition);
        } catch (RuleDefinitionException e) {
            throw new ProblemException(400, "Bad Request", "Invalid rule: " + e.getMessage());
        }
        if (expectedId != null && !expectedId.equals(rule.id())) {
            throw ProblemException.badRequest("id", "the rule's id '" + rule.id() + "' differs from the path's '"
                    + expectedId + "'");
        }
        return rule;
    }

    private void refuseShipped(String id, String what) {
        if (catalogue.isShipped(id)) {
            throw ProblemException.conflict("'" + id + "' is a shipped rule and cannot be " + what
                    + "; disable it (POST /api/rules/" + id + "/disable) and create a custom rule instead");
        }
    }

    private void change(Runnable change) {
        change(change, "The rule catalogue was changed at the same time; retry");
    }

    /** Commits a change and puts it in force here; a conflicting concurrent change is a 409 with {@code conflict}. */
    private void change(Runnable change, String conflict) {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                change.run();
                store.bumpVersion();
            });
        } catch (RuntimeException e) {
            if (isConstraintViolation(e)) {
                throw ProblemException.conflict(conflict);
            }
            throw e;
        } finally {
            catalogue.reload();
        }
    }

    private static boolean isConstraintViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }
}
