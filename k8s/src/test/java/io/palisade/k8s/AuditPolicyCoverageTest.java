package io.palisade.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.palisade.k8s.AuditPolicyApi.Shape;
import io.palisade.k8s.AuditPolicyEvaluator.Decision;
import io.palisade.k8s.AuditPolicyEvaluator.Level;
import io.palisade.k8s.AuditPolicyEvaluator.Request;
import io.palisade.k8s.AuditPolicyRuleNeeds.Need;

/**
 * The protected cluster's audit policy (cluster-kit/audit-policy.yaml) against the control-plane detections
 * (detection-service's rules/control-plane.yaml): every request a rule can fire on is recorded at the level the rule
 * reads (its bodies, or metadata only) in a stage the rule fires in; secrets are never recorded with their bodies; the
 * noisy read-only system traffic is not recorded at all; the writes of the objects the detections judge are recorded
 * with request and response. The needs are derived from the rule file ({@link AuditPolicyRuleNeeds}), so a new rule
 * is covered without touching this test; the policy is evaluated as kube-apiserver does ({@link AuditPolicyEvaluator})
 * over the requests of {@link AuditPolicyApi}.
 */
class AuditPolicyCoverageTest {
    private static final Path ROOT = Path.of(System.getProperty("palisade.root", ".."));
    private static final Path POLICY = ROOT.resolve("k8s/cluster-kit/audit-policy.yaml");
    private static final Path RULES = ROOT.resolve(
            "services/detection-service/src/main/resources/rules/control-plane.yaml");
    private static final Set<String> READS = Set.of("get", "list", "watch");

    /** Noise the policy drops on purpose; rules that watch every request (no resource named) accept not seeing it. */
    private record Noise(String what, Predicate<Request> matches) {
    }

    private static final List<Noise> NOISE = List.of(
            new Noise("reads by nodes (get, list and watch by group system:nodes)",
                    r -> r.groups().contains("system:nodes") && READS.contains(r.verb())),
            new Noise("kube-proxy watching services and endpoints",
                    r -> AuditPolicyApi.KUBE_PROXY.contains(r.user()) && r.verb().equals("watch")
                            && r.isResourceRequest() && r.subresource().isEmpty()
                            && Set.of("/services", "/endpoints", "discovery.k8s.io/endpointslices")
                                    .contains(r.apiGroup() + "/" + r.resource())),
            new Noise("leader-election leases (coordination.k8s.io)",
                    r -> r.isResourceRequest() && r.apiGroup().equals("coordination.k8s.io")
                            && r.resource().equals("leases")),
            new Noise("health and version probes",
                    r -> !r.isResourceRequest() && AuditPolicyApi.HEALTH_PATHS.contains(r.path())),
            new Noise("API discovery and OpenAPI by authenticated clients",
                    r -> !r.isResourceRequest() && AuditPolicyApi.DISCOVERY_PATHS.contains(r.path())
                            && r.groups().contains("system:authenticated")));

    private static AuditPolicyEvaluator policy;

    @BeforeAll
    static void loadPolicy() throws IOException {
        policy = AuditPolicyEvaluator.load(POLICY);
    }

    @Test
    void everyDetectionSeesTheRequestsItFiresOn() throws IOException {
        AuditPolicyRuleNeeds rules = new AuditPolicyRuleNeeds(RULES);
        List<Need> needs = rules.needs();
        if (!rules.problems.isEmpty()) {
            fail("The audit-policy needs of these rules of " + RULES.getFileName() + " cannot be derived:\n  "
                    + String.join("\n  ", rules.problems));
        }
        Violations violations = new Violations();
        int checked = 0;
        int exempt = 0;
        Set<String> ruleIds = new TreeSet<>();
        for (Need need : needs) {
            Request request = need.shape().request();
            ruleIds.add(need.rule());
            if (need.watchesEveryRequest() && NOISE.stream().anyMatch(n -> n.matches().test(request))) {
                exempt++;
                continue;
            }
            checked++;
            Decision decision = policy.decide(request);
            Set<String> recordedStages = new TreeSet<>(need.stages());
            recordedStages.removeAll(decision.omitStages());
            String problem = null;
            if (!decision.level().atLeast(need.level())) {
                problem = "recorded at " + decision.level() + ", needs " + need.level()
                        + (need.bodyFields().isEmpty() ? "" : " (reads " + String.join(", ", need.bodyFields()) + ")");
            } else if (recordedStages.isEmpty()) {
                problem = "fires only in stages " + need.stages() + ", which the policy omits";
            }
            if (problem != null) {
                violations.add(need.rule() + ": " + request.target() + ": " + problem, request);
            }
        }
        System.out.printf("AuditPolicyCoverageTest: %d (rule, request) pairs of %d rules checked, %d more exempt as "
                + "deliberately unrecorded noise%n", checked, ruleIds.size(), exempt);
        violations.failIfAny("Detections that the audit policy " + POLICY.getFileName() + " does not record enough "
                + "for (rule: request: level found vs needed):");
    }

    @Test
    void secretsAndTokensAreNeverRecordedWithTheirBodies() {
        Violations violations = new Violations();
        int checked = 0;
        for (Shape shape : AuditPolicyApi.shapes(AuditPolicyApi.ALL_USERS,
                List.of("default", "kube-system", "kube-public", "team-a"), List.of())) {
            Request r = shape.request();
            boolean secretOrToken = r.isResourceRequest() && r.apiGroup().isEmpty() && (r.resource().equals("secrets")
                    || r.resource().equals("serviceaccounts") && r.subresource().equals("token"));
            if (secretOrToken) {
                checked++;
                Level level = policy.level(r);
                if (level.atLeast(Level.Request)) {
                    violations.add(r.target() + ": recorded at " + level + ", at most Metadata allowed", r);
                }
            }
        }
        assertTrue(checked > 0, "no secret requests were checked");
        violations.failIfAny("The audit policy would record the contents of secrets or tokens:");
    }

    @Test
    void noisyReadOnlySystemTrafficIsNotRecorded() {
        Violations violations = new Violations();
        Map<String, Integer> matched = new TreeMap<>();
        NOISE.forEach(n -> matched.put(n.what(), 0));
        for (Shape shape : AuditPolicyApi.shapes(AuditPolicyApi.ALL_USERS, List.of("default", "kube-system"),
                List.of())) {
            Request r = shape.request();
            for (Noise noise : NOISE) {
                if (noise.matches().test(r)) {
                    matched.merge(noise.what(), 1, Integer::sum);
                    Level level = policy.level(r);
                    if (level != Level.None) {
                        violations.add(noise.what() + ": " + r.target() + ": recorded at " + level
                                + ", None expected", r);
                    }
                }
            }
        }
        matched.forEach((what, count) -> assertTrue(count > 0, "no request of the model is " + what));
        assertTrue(AuditPolicyApi.PATHS.containsAll(List.of("/healthz", "/livez", "/readyz", "/version",
                "/openapi/v2")), "the probes and discovery paths are requests of the model");
        violations.failIfAny("Noisy read-only system traffic that the audit policy records:");
    }

    @Test
    void writesOfTheObjectsTheDetectionsJudgeAreRecordedWithRequestAndResponse() {
        List<String> namespacedObjects = List.of("/pods", "apps/deployments", "apps/daemonsets", "apps/statefulsets",
                "batch/jobs", "batch/cronjobs", "rbac.authorization.k8s.io/roles",
                "rbac.authorization.k8s.io/rolebindings", "/services");
        List<String> clusterObjects = List.of("rbac.authorization.k8s.io/clusterroles",
                "rbac.authorization.k8s.io/clusterrolebindings",
                "admissionregistration.k8s.io/mutatingwebhookconfigurations",
                "admissionregistration.k8s.io/validatingwebhookconfigurations");
        List<Request> writes = new ArrayList<>();
        for (String user : List.of(AuditPolicyApi.ALICE, AuditPolicyApi.APP_SERVICE_ACCOUNT)) {
            for (String verb : List.of("create", "update", "patch")) {
                for (String namespace : List.of("default", "kube-system")) {
                    namespacedObjects.forEach(o -> writes.add(write(user, verb, o, namespace)));
                }
                clusterObjects.forEach(o -> writes.add(write(user, verb, o, "")));
                writes.add(write(user, verb, "/configmaps", "kube-system"));
            }
        }
        Violations violations = new Violations();
        for (Request write : writes) {
            Level level = policy.level(write);
            if (level != Level.RequestResponse) {
                violations.add(write.target() + ": recorded at " + level + ", RequestResponse expected", write);
            }
        }
        violations.failIfAny("Writes of objects the detections judge that the audit policy records without bodies:");
    }

    /** The evaluator itself, on a policy that uses every kind of match kube-apiserver knows. */
    @Test
    void theEvaluatorDecidesAsKubeApiserver(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, """
                apiVersion: audit.k8s.io/v1
                kind: Policy
                omitStages: [RequestReceived]
                rules:
                  - level: None
                    users: [system:kube-proxy]
                    verbs: [watch]
                    resources: [{group: "", resources: [endpoints]}]
                  - level: Request
                    userGroups: [team]
                    namespaces: [""]
                  - level: RequestResponse
                    omitStages: [ResponseStarted]
                    resources: [{group: apps, resources: ["*/scale"]}]
                  - level: Request
                    resources: [{resources: ["pods/*"]}]
                  - level: Metadata
                    resources: [{group: "", resources: [configmaps], resourceNames: [coredns]}]
                  - level: None
                    nonResourceURLs: ["/healthz*", "/version"]
                  - level: RequestResponse
                    resources: [{group: batch}]
                  - level: Metadata
                    resources: [{group: policy, resources: ["*"]}]
                  - level: Request
                    namespaces: [kube-system]
                  - level: Metadata
                    nonResourceURLs: ["*"]
                """);
        AuditPolicyEvaluator p = AuditPolicyEvaluator.load(file);
        // users and verbs
        assertEquals(Level.None, p.level(request("system:kube-proxy", "watch", "/endpoints", "kube-system", "")));
        assertEquals(Level.Request, p.level(request("system:kube-proxy", "get", "/endpoints", "kube-system", "x")));
        // userGroups (bob is in "team"), and namespaces "" for cluster-scoped objects only
        String rbac = "rbac.authorization.k8s.io/";
        assertEquals(Level.Request, p.level(request("bob", "get", rbac + "clusterroles", "", "x")));
        assertEquals(Level.None, p.level(request("bob", "get", "/services", "default", "x")));
        assertEquals(Level.None, p.level(request("alice", "get", rbac + "clusterroles", "", "x")));
        // */scale: that subresource of any resource of the group; the rule's omitStages join the policy's
        Decision scale = p.decide(request("alice", "update", "apps/deployments/scale", "default", "web"));
        assertEquals(Level.RequestResponse, scale.level());
        assertEquals(Set.of("RequestReceived", "ResponseStarted"), scale.omitStages());
        assertEquals(Level.None, p.level(request("alice", "update", "apps/deployments", "default", "web")));
        assertEquals(Level.None, p.level(request("alice", "update", "/replicationcontrollers/scale", "default",
                "web")));
        // pods/*: the resource and all its subresources, in the core group (a missing group is "")
        assertEquals(Level.Request, p.level(request("alice", "create", "/pods", "default", "")));
        assertEquals(Level.Request, p.level(request("alice", "create", "/pods/exec", "default", "web")));
        // resourceNames, and the first matching rule wins (kube-system's rule comes later)
        assertEquals(Level.Metadata, p.level(request("alice", "update", "/configmaps", "kube-system", "coredns")));
        assertEquals(Level.Request, p.level(request("alice", "update", "/configmaps", "kube-system", "other")));
        assertEquals(Level.None, p.level(request("alice", "update", "/configmaps", "default", "other")));
        // a group without resources: all of them; "*": every resource and subresource of the group
        assertEquals(Level.RequestResponse, p.level(request("alice", "delete", "batch/cronjobs", "default", "x")));
        assertEquals(Level.Metadata, p.level(request("alice", "patch", "policy/poddisruptionbudgets/status",
                "default", "x")));
        // nonResourceURLs: exact, or a prefix with a trailing *; never a resource request
        List<String> authenticated = AuditPolicyApi.groupsOf("alice");
        assertEquals(Level.None, p.level(Request.nonResource("alice", authenticated, "get", "/healthz/etcd")));
        assertEquals(Level.None, p.level(Request.nonResource("alice", authenticated, "get", "/version")));
        assertEquals(Level.Metadata, p.level(Request.nonResource("alice", authenticated, "get", "/version/")));
        // a rule with namespaces (or resources) matches resource requests only
        assertEquals(Level.Metadata, p.level(Request.nonResource("bob", List.of("team"), "get", "/metrics")));
        // no rule matches: None, with the policy's omitted stages
        assertEquals(new Decision(Level.None, Set.of("RequestReceived")),
                p.decide(request("alice", "get", "/secrets", "default", "x")));
    }

    /**
     * A resource request: "group/resource" or "group/resource/subresource", the group empty for the core group
     * ("/pods/exec"); namespace "" for a cluster-scoped object. bob is in the group "team".
     */
    private static Request request(String user, String verb, String groupResource, String namespace, String name) {
        String[] parts = groupResource.split("/");
        List<String> groups = user.equals("bob") ? List.of("team", "system:authenticated")
                : AuditPolicyApi.groupsOf(user);
        return Request.resource(user, groups, verb, parts[0], parts[1], parts.length > 2 ? parts[2] : "", namespace,
                name);
    }

    /** A write of an object (its name is in the URL but for a create). */
    private static Request write(String user, String verb, String groupResource, String namespace) {
        return request(user, verb, groupResource, namespace, verb.equals("create") ? "" : "example");
    }

    /** Problems, one line each with the namespaces and users it happens in, reported together. */
    private static final class Violations {
        private static final int SHOWN = 150;
        private final Map<String, Set<String>> namespaces = new TreeMap<>();
        private final Map<String, Set<String>> users = new TreeMap<>();

        void add(String problem, Request request) {
            Set<String> ns = namespaces.computeIfAbsent(problem, p -> new TreeSet<>());
            if (request.isResourceRequest() && !request.namespace().isEmpty()) {
                ns.add(request.namespace());
            }
            users.computeIfAbsent(problem, p -> new TreeSet<>()).add(request.user());
        }

        void failIfAny(String heading) {
            if (namespaces.isEmpty()) {
                return;
            }
            List<String> lines = new ArrayList<>();
            namespaces.forEach((problem, ns) -> lines.add(problem + " [" + (ns.isEmpty() ? "" : "in "
                    + String.join(", ", ns) + " ") + "as " + String.join(", ", users.get(problem)) + "]"));
            String shown = String.join("\n  ", lines.subList(0, Math.min(SHOWN, lines.size())));
            fail(heading + "\n  " + shown + (lines.size() > SHOWN ? "\n  ... and " + (lines.size() - SHOWN)
                    + " more" : "") + "\n(" + lines.size() + " problems)");
        }
    }
}
