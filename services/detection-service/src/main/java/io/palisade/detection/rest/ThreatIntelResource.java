package io.palisade.detection.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.palisade.common.problem.ProblemException;
import io.palisade.common.security.Roles;
import io.palisade.detection.persistence.RuleStore;
import io.palisade.detection.service.RuleCatalogue;
import io.palisade.detection.service.RuleService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Threat-intelligence IP lists that rules test with {@code inIpList} (the shipped K8S_TI_Proxy rule uses "proxy").
 * An admin replaces a list whole, as JSON {@code {"entries":[…]}} or as text with one address or CIDR range per line
 * (so a published TOR exit list can be piped in as it is); it applies at once, without a restart.
 */
@Path("/api/threat-intel/ip-lists")
@Produces(MediaType.APPLICATION_JSON)
public class ThreatIntelResource {
    private final RuleCatalogue catalogue;
    private final RuleService rules;
    private final RuleStore store;
    private final SecurityIdentity identity;

    public ThreatIntelResource(RuleCatalogue catalogue, RuleService rules, RuleStore store,
            SecurityIdentity identity) {
        this.catalogue = catalogue;
        this.rules = rules;
        this.store = store;
        this.identity = identity;
    }

    public record IpListView(String name, int size, String file, List<String> entries) {
    }

    public record IpListUpdate(List<String> entries) {
    }

    @GET
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public Map<String, IpListView> list() {
        Map<String, IpListView> lists = new TreeMap<>();
        QuarkusTransaction.requiringNew().call(store::ipLists).forEach((name, entries) -> lists.put(name,
                new IpListView(name, entries.size(), null, null)));
        for (String name : List.of("proxy")) {
            lists.putIfAbsent(name, view(name, false));
        }
        return lists;
    }

    @GET
    @Path("{name}")
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public IpListView get(@PathParam("name") String name) {
        return view(name, true);
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public IpListView replace(@PathParam("name") String name, IpListUpdate update) {
        if (update == null || update.entries() == null) {
            throw ProblemException.badRequest("entries", "is required (a list of IP addresses and CIDR ranges)");
        }
        rules.replaceIpList(name, update.entries(), identity.getPrincipal().getName());
        return view(name, false);
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.TEXT_PLAIN)
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public IpListView replaceFromText(@PathParam("name") String name, String body) {
        List<String> entries = new ArrayList<>();
        for (String line : (body == null ? "" : body).split("\\R")) {
            String entry = line.strip();
            if (!entry.isEmpty() && !entry.startsWith("#")) {
                entries.add(entry);
            }
        }
        rules.replaceIpList(name, entries, identity.getPrincipal().getName());
        return view(name, false);
    }

    private IpListView view(String name, boolean withEntries) {
        var file = catalogue.ipListFile(name);
        List<String> entries = withEntries
                ? QuarkusTransaction.requiringNew().call(() -> store.ipLists().getOrDefault(name, List.of()))
                : null;
        return new IpListView(name, catalogue.ipLists().size(name), file == null ? null : file.toString(),
                file == null ? entries : null);
    }
}
