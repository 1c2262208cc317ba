package io.palisade.detection.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.palisade.common.problem.ProblemException;
import io.palisade.detection.ingest.FalcoEvents.Priority;

class FalcoEventsTest {
    /** What Falco's http_output posts (json_output: true, json_include_tags_property: true) for kubectl exec -it. */
    static final String TERMINAL_SHELL = """
            {"hostname":"aks-nodepool1-18433297-vmss000002",
             "output":"08:14:02.455901384: Notice A shell was spawned in a container with an attached terminal \
            (evt_type=execve user=root user_uid=0 user_loginuid=-1 process=bash proc_exepath=/usr/bin/bash parent=runc \
            command=bash terminal=34816 exe_flags=EXE_WRITABLE container_id=3ad4f1c2b9e0 \
            container_image=docker.io/library/nginx container_image_tag=1.27 container_name=web \
            k8s_ns=shop k8s_pod_name=web-7d9f8b6c5d-x2k4p)",
             "output_fields":{"container.id":"3ad4f1c2b9e0","container.image.repository":"docker.io/library/nginx",
               "container.image.tag":"1.27","container.name":"web","evt.time":1767255242455901384,"evt.type":"execve",
               "k8s.ns.name":"shop","k8s.pod.name":"web-7d9f8b6c5d-x2k4p","proc.cmdline":"bash","proc.name":"bash",
               "proc.pname":"runc","proc.tty":34816,"user.loginuid":-1,"user.name":"root","user.uid":0},
             "priority":"Notice","rule":"Terminal shell in container","source":"syscall",
             "tags":["T1059","container","maturity_stable","mitre_execution","shell"],
             "time":"2026-01-01T08:14:02.455901384Z"}""";

    /** Falcosidekick's webhook output: the same event plus a uuid. */
    static final String SIDEKICK = """
            {"uuid":"2e0c5d64-5e3b-4a5f-9d1c-0b6b1f5e8a77","output":"08:20:11.000000001: Warning Sensitive file opened \
            for reading by non-trusted program (file=/etc/shadow process=cat command=cat /etc/shadow)",
             "priority":"Warning","rule":"Read sensitive file untrusted","time":"2026-01-01T08:20:11.000000001Z",
             "output_fields":{"fd.name":"/etc/shadow","proc.cmdline":"cat /etc/shadow","user.name":"root"},
             "source":"syscall","tags":["T1555","container","filesystem","host","maturity_stable",
             "mitre_credential_access"],"hostname":"ip-10-0-12-34.eu-west-1.compute.internal"}""";

    static List<JsonNode> parse(String body) {
        return FalcoEvents.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsFalcosHttpOutputEvent() {
        List<JsonNode> events = parse(TERMINAL_SHELL);
        assertEquals(1, events.size());
        JsonNode event = events.get(0);
        assertEquals("Terminal shell in container", event.get("rule").asText());
        assertEquals("shop", event.at("/output_fields/k8s.ns.name").asText());
        assertEquals("web-7d9f8b6c5d-x2k4p", event.at("/output_fields/k8s.pod.name").asText());
        assertEquals(Instant.parse("2026-01-01T08:14:02.455901384Z"), FalcoEvents.eventTime(event));
    }

    @Test
    void readsFalcosidekickEventsInAnArrayAndAsJsonLines() {
        List<JsonNode> array = parse("[" + TERMINAL_SHELL + "," + SIDEKICK + "]");
        assertEquals(List.of("Terminal shell in container", "Read sensitive file untrusted"),
                array.stream().map(e -> e.get("rule").asText()).toList());
        assertEquals("2e0c5d64-5e3b-4a5f-9d1c-0b6b1f5e8a77", array.get(1).get("uuid").asText());

        String lines = TERMINAL_SHELL.replace("\n", "") + "\n" + SIDEKICK.replace("\n", "") + "\n";
        assertEquals(2, parse(lines).size());
    }

    @Test
    void refusesAnEventWithoutRuleNamingIt() {
        String noRule = SIDEKICK.replace("\"rule\":\"Read sensitive file untrusted\",", "");
        var e = assertThrows(ProblemException.class, () -> parse("[" + TERMINAL_SHELL + "," + noRule + "]"));
        assertEquals(400, e.toProblem().status());
        assertEquals("Malformed Falco event: [1]: 'rule' is missing", e.getMessage());
    }

    @Test
    void refusesUnknownPrioritiesAndTimesThatAreNotRfc3339() {
        var priority = assertThrows(ProblemException.class,
                () -> parse(TERMINAL_SHELL.replace("\"priority\":\"Notice\"", "\"priority\":\"Severe\"")));
        assertTrue(priority.getMessage().startsWith("Malformed Falco event: body: priority 'Severe' is not one of"),
                priority.getMessage());
        var time = assertThrows(ProblemException.class,
                () -> parse(TERMINAL_SHELL.replace("2026-01-01T08:14:02.455901384Z", "1767255242")));
        assertEquals("Malformed Falco event: body: time '1767255242' is not an RFC 3339 time of the years 1 to 9999", time.getMessage());
        // a NUL is no white space: "Notice\u0000" names no priority (found by IngestAndApiFuzzTest: it was accepted,
        // then dead-lettered once the NUL was replaced)
        assertThrows(ProblemException.class,
                () -> parse(TERMINAL_SHELL.replace("\"priority\":\"Notice\"", "\"priority\":\"Notice\\u0000\"")));
        var output = assertThrows(ProblemException.class,
                () -> parse(SIDEKICK.replace("\"output\":", "\"message\":") + "\n" + SIDEKICK.replace("\n", "")));
        assertTrue(output.getMessage().contains("'output' is missing"), output.getMessage());
        assertThrows(ProblemException.class, () -> parse(""));
        assertThrows(ProblemException.class, () -> parse("[\"Terminal shell in container\"]"));
    }

    @Test
    void readsPrioritiesAsFalcoAndSidekickWriteThem() {
        assertEquals(Optional.of(Priority.INFORMATIONAL), Priority.of("Informational"));
        assertEquals(Optional.of(Priority.INFORMATIONAL), Priority.of("info"));
        assertEquals(Optional.of(Priority.CRITICAL), Priority.of("CRITICAL"));
        assertEquals(Optional.empty(), Priority.of("Severe"));
        assertTrue(Priority.WARNING.atLeast(Priority.NOTICE));
        assertTrue(Priority.NOTICE.atLeast(Priority.NOTICE));
        assertFalse(Priority.INFORMATIONAL.atLeast(Priority.NOTICE));
        assertEquals(1, parse(TERMINAL_SHELL.replace("\"priority\":\"Notice\"", "\"priority\":\"info\"")).size());
    }
}
