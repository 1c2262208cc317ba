package io.palisade.detection.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palisade.common.messaging.EventCodec;
import io.palisade.detection.engine.RuleDefinitionException;
import io.palisade.detection.ingest.FalcoEvents.Priority;

class NodeAlertMappingTest {
    private static NodeAlertMapping shipped;

    @BeforeAll
    static void loadShippedMapping() throws IOException {
        try (InputStream in = NodeAlertMappingTest.class.getResourceAsStream("/rules/node-sensor.yaml")) {
            shipped = NodeAlertMapping.load(in, "rules/node-sensor.yaml");
        }
    }

    static NodeAlertMapping load(String yaml) {
        return NodeAlertMapping.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    static JsonNode falcoEvent(String rule, String priority, String output, String... tags) {
        ObjectNode event = EventCodec.mapper().createObjectNode();
        event.put("rule", rule);
        event.put("priority", priority);
        event.put("time", "2026-01-01T08:14:02.455901384Z");
        event.put("output", output);
        event.put("source", "syscall");
        var array = event.putArray("tags");
        for (String tag : tags) {
            array.add(tag);
        }
        event.putObject("output_fields").put("k8s.ns.name", "shop").put("k8s.pod.name", "web-7d9f8b6c5d-x2k4p");
        return event;
    }

    @Test
    void mapsAListedFalcoRuleToItsDefenderAlert() {
        String output = "08:30:00.000000001: Notice Redirect stdout/stdin to network connection (fd.sip=203.0.113.7 "
                + "connection=10.244.1.5:41234->203.0.113.7:4444 process=bash command=bash -i)";
        var alert = shipped.map(falcoEvent("Redirect STDOUT/STDIN to Network Connection in Container", "Notice", output,
                "maturity_stable", "container", "network", "process", "mitre_execution", "T1059")).orElseThrow();

        assertEquals("K8S.NODE_ReverseShell", alert.alertType());
        assertEquals("Potential reverse shell detected", alert.displayName());
        assertEquals("Medium", alert.severity(), "the mapping's severity, not Notice's Low");
        assertEquals(List.of("Exfiltration", "Exploitation"), alert.intent());
        assertEquals(List.of("T1059"), alert.techniques());
        assertTrue(alert.description().startsWith("A process in a container connected its standard input"),
                alert.description());
        assertTrue(alert.description().endsWith("\n" + output), alert.description());
        assertEquals(2, alert.remediationSteps().size());
    }

    @Test
    void aListedRuleWithoutSeverityTakesItFromThePriority() {
        var alert = shipped.map(falcoEvent("Terminal shell in container", "Notice", "A shell was spawned",
                "mitre_execution", "T1059")).orElseThrow();
        assertEquals("K8S.NODE_TerminalShellInContainer", alert.alertType());
        assertEquals("Low", alert.severity());
        var asWarning = shipped.map(falcoEvent("Terminal shell in container", "Warning", "A shell was spawned"));
        assertEquals("Medium", asWarning.orElseThrow().severity());
    }

    @Test
    void anUnlistedRuleGetsTheFallbackAlert() {
        String output = "09:00:00.000000000: Critical Detect Polkit pkexec Local Privilege Escalation Exploit "
                + "(CVE-2021-4034) (args= user=app)";
        var alert = shipped.map(falcoEvent("Polkit Local Privilege Escalation Vulnerability (CVE-2021-4034)",
                "Critical", output, "maturity_sandbox", "host", "container", "process", "users",
                "mitre_privilege_escalation", "TA0004")).orElseThrow();

        assertEquals("K8S.NODE_PolkitLocalPrivilegeEscalationVulnerabilityCVE20214034", alert.alertType());
        assertEquals("Polkit Local Privilege Escalation Vulnerability (CVE-2021-4034)", alert.displayName());
        assertEquals(output, alert.description());
        assertEquals("High", alert.severity());
        assertEquals(List.of("PrivilegeEscalation"), alert.intent());
        assertEquals(List.of(), alert.techniques());
        assertEquals(2, alert.remediationSteps().size(), "the file's default remediation");
    }

    @Test
    void derivesTacticsAndTechniquesFromTags() {
        var alert = shipped.map(falcoEvent("My custom rule: curl | sh", "Error", "piped download",
                "mitre_command_and_control", "T1105", "mitre_execution", "T1059.004", "TA0002", "NIST_800-53_AC-2",
                "TA0011", "mitre_reconnaissance")).orElseThrow();
        assertEquals("K8S.NODE_MyCustomRuleCurlSh", alert.alertType());
        assertEquals("Medium", alert.severity());
        assertEquals(List.of("CommandAndControl", "Execution"), alert.intent());
        assertEquals(List.of("T1105", "T1059.004"), alert.techniques());
    }

    @Test
    void eventsBelowTheMinimumPriorityRaiseNothing() {
        assertEquals(Priority.NOTICE, shipped.minimumPriority());
        assertEquals(Optional.empty(), shipped.map(falcoEvent("Launch Privileged Container", "Informational",
                "Privileged container started")));
        assertEquals(Optional.empty(), shipped.map(falcoEvent("Some debug rule", "Debug", "debug")));

        var lowered = load("""
                minimumPriority: info
                mappings: []
                """);
        assertEquals("Informational", lowered.map(falcoEvent("Some info rule", "Informational", "x")).orElseThrow()
                .severity());
        assertEquals(Optional.empty(), lowered.map(falcoEvent("Some debug rule", "Debug", "x")));
        assertEquals(Priority.NOTICE, load("mappings: []").minimumPriority());
    }

    @Test
    void theShippedFileMapsTheDefaultRulesWithValidAlertTypes() {
        Set<String> rules = new HashSet<>();
        shipped.entries().forEach(e -> rules.add(e.falcoRule()));
        for (String rule : List.of("Terminal shell in container", "Read sensitive file untrusted", "Write below etc",
                "Launch Privileged Container", "Drop and execute new binary in container",
                "Detect crypto miners using the Stratum protocol", "Clear Log Activities",
                "Delete or rename shell history", "Contact K8S API Server From Container",
                "Fileless execution via memfd_create",
                "Linux Kernel Module Injection Detected", "Disallowed SSH Connection")) {
            assertTrue(rules.contains(rule), rule + " is not mapped");
        }
        var mining = shipped.entries().stream()
                .filter(e -> e.falcoRule().equals("Detect crypto miners using the Stratum protocol")).findFirst()
                .orElseThrow();
        assertEquals("K8S.NODE_DigitalCurrencyMining", mining.alertType());
        assertEquals("High", mining.severity());
        assertEquals("K8S.NODE_SystemLogRemoval", alertTypeOf("Clear Log Activities"));
        assertEquals("K8S.NODE_HistoryFileCleared", alertTypeOf("Delete or rename shell history"));
        assertEquals("K8S.NODE_KubernetesAPI", alertTypeOf("Contact K8S API Server From Container"));
    }

    private static String alertTypeOf(String falcoRule) {
        return shipped.entries().stream().filter(e -> e.falcoRule().equals(falcoRule)).findFirst().orElseThrow()
                .alertType();
    }

    @Test
    void rejectsAnUnknownAttributeNamingTheEntry() {
        var e = assertThrows(RuleDefinitionException.class, () -> load("""
                mappings:
                  - falcoRule: Terminal shell in container
                    alertType: K8S.NODE_TerminalShellInContainer
                    displayName: Shell
                    description: A shell
                    priority: High
                """));
        assertTrue(e.getMessage().startsWith("test.yaml: mapping 'Terminal shell in container': unknown attribute "
                + "'priority'"), e.getMessage());
    }

    @Test
    void rejectsBadAlertTypesSeveritiesTacticsTechniquesAndDuplicates() {
        String entry = """
                  - falcoRule: Write below etc
                    alertType: %s
                    displayName: Write below etc
                    description: A write below /etc
                    severity: %s
                    intent: [%s]
                    techniques: [%s]
                """;
        assertEquals(1, load("mappings:\n" + entry.formatted("K8S.NODE_WriteBelowEtc", "Medium", "Persistence",
                "T1098")).entries().size());
        var alertType = assertThrows(RuleDefinitionException.class, () -> load("mappings:\n"
                + entry.formatted("K8S_WriteBelowEtc", "Medium", "Persistence", "T1098")));
        assertTrue(alertType.getMessage().contains("must be K8S.NODE_<Name>"), alertType.getMessage());
        assertThrows(RuleDefinitionException.class, () -> load("mappings:\n"
                + entry.formatted("K8S.NODE_WriteBelowEtc", "Critical", "Persistence", "T1098")));
        assertThrows(RuleDefinitionException.class, () -> load("mappings:\n"
                + entry.formatted("K8S.NODE_WriteBelowEtc", "Medium", "Persistance", "T1098")));
        assertThrows(RuleDefinitionException.class, () -> load("mappings:\n"
                + entry.formatted("K8S.NODE_WriteBelowEtc", "Medium", "Persistence", "TA0003")));
        var twice = assertThrows(RuleDefinitionException.class, () -> load("mappings:\n"
                + entry.formatted("K8S.NODE_A", "Low", "Persistence", "T1098")
                + entry.formatted("K8S.NODE_B", "Low", "Persistence", "T1098")));
        assertEquals("test.yaml: Falco rule 'Write below etc' is mapped twice", twice.getMessage());
        assertThrows(RuleDefinitionException.class, () -> load("minimumPriority: Severe\nmappings: []"));
        assertThrows(RuleDefinitionException.class, () -> load("rules: []"));
        assertThrows(RuleDefinitionException.class, () -> load("mappings: []\nminimumSeverity: Low"));
    }
}
