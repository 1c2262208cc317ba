package io.palisade.e2e;

import static io.palisade.e2e.Stack.as;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;

/**
 * A cluster's credentials — the Kubernetes API bearer token Palisade was given, its ingest tokens (first and
 * rotated) — are used the way a platform team uses them (registered, checked against an unreachable API server,
 * rotated, sent to ingest, handed to the sensor install), then searched for everywhere they must never be: every API
 * response, every log file of the stack, every record of every Kafka topic, and PostgreSQL's files on disk (the data
 * directory with its write-ahead log: encrypted at rest, so the plain token is in none of them). Each search first
 * finds a value that is meant to be there (the cluster's name), so a search that cannot see is caught.
 */
class CredentialsNeverLeakTest {
    private static final Duration WITHIN = Duration.ofSeconds(45);
    static final Path HOME = Paths.get(System.getProperty("palisade.home", "../.palisade"));
    static final Path PG_DATA = Paths.get(System.getProperty("palisade.pgdata", "../.palisade/data/postgres"));
    static final String KAFKA = System.getProperty("palisade.kafka.bootstrap", "127.0.0.1:9092");

    @Test
    void credentialsAreInNoResponseLogLineKafkaRecordNorDatabaseFile() throws Exception {
        String marker = "leakcheck-" + UUID.randomUUID().toString().substring(0, 8);
        String kubeToken = "kube-bearer-" + UUID.randomUUID();
        String connectorId = as("alice").contentType(ContentType.JSON)
                .body("{\"environment\":\"OnPrem\",\"displayName\":\"e2e " + marker + "\"}")
                .when().post("/api/connectors").then().statusCode(201).extract().path("id");
        var registered = as("alice").contentType(ContentType.JSON)
                .body("{\"name\":\"" + marker + "\",\"kind\":\"OnPrem\",\"kubernetesApi\":{\"serverUrl\":"
                        + "\"https://127.0.0.1:1\",\"bearerToken\":\"" + kubeToken + "\"}}")
                .when().post("/api/connectors/" + connectorId + "/clusters").then().statusCode(201).extract();
        String clusterId = registered.path("id");
        String firstIngestToken = registered.path("ingestToken");
        String cluster = "/api/connectors/" + connectorId + "/clusters/" + clusterId;
        List<String> responses = new ArrayList<>();
        responses.add(as("alice").when().post(cluster + "/check").then().extract().asString());
        responses.add(as("alice").contentType(ContentType.JSON)
                .body("{\"ingestToken\":\"" + firstIngestToken + "\",\"gatewayUrl\":\"" + Stack.GATEWAY + "\"}")
                .when().post(cluster + "/sensor").then().extract().asString());
        String ingestToken = as("alice").when().post(cluster + "/rotate-ingest-token").then().statusCode(200)
                .extract().path("ingestToken");
        Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                as("alice").contentType(ContentType.JSON).body("{\"pricingTier\":\"Standard\"}")
                        .when().put("/api/plans/" + connectorId + "/Containers").then().statusCode(200));
        Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                given().baseUri(Stack.GATEWAY).auth().oauth2(ingestToken).contentType(ContentType.JSON)
                        .body(WalkingSkeletonTest.eventList(WalkingSkeletonTest.event(UUID.randomUUID().toString(),
                                "get", "pods", "default", null)))
                        .when().post("/ingest/k8s-audit").then().statusCode(200));
        given().baseUri(Stack.GATEWAY).auth().oauth2(firstIngestToken).contentType(ContentType.JSON).body("[]")
                .when().post("/ingest/k8s-audit").then().statusCode(401);
        for (String read : List.of(cluster, cluster + "/status", "/api/connectors/" + connectorId + "/clusters",
                "/api/connectors/" + connectorId, cluster + "/recommendations")) {
            responses.add(as("alice").when().get(read).then().extract().asString());
        }
        Thread.sleep(2000); // the services' log lines and the last records reach their files and topics

        Search search = new Search(marker, Map.of("the Kubernetes API bearer token", kubeToken,
                "the first ingest token", firstIngestToken,
                "the rotated ingest token", ingestToken));
        search.scan("API responses", String.join("\n", responses));
        search.assertMarkerSeen("API responses");

        List<Path> logs = filesUnder(HOME.resolve("logs"));
        for (Path log : logs) {
            search.scan("log file " + log, log);
        }
        search.assertMarkerSeen("log files");

        long records = searchEveryKafkaRecord(search);
        search.assertMarkerSeen("Kafka records");

        List<Path> databaseFiles = filesUnder(PG_DATA.resolve("pg_wal"));
        databaseFiles.addAll(filesUnder(PG_DATA.resolve("base")));
        for (Path file : databaseFiles) {
            search.scan("PostgreSQL file " + file, file);
        }
        search.assertMarkerSeen("PostgreSQL's files");

        System.out.printf("credential search: %d API responses, %d log files, %d Kafka records, %d PostgreSQL files "
                + "(%,d bytes in all): %d found%n", responses.size(), logs.size(), records, databaseFiles.size(),
                search.bytes, search.found.size());
        assertEquals(List.of(), search.found);
    }

    /** Looks for the secrets (and the marker that must be seen) in text, files read in chunks, and byte arrays. */
    static final class Search {
        private static final int CHUNK = 8 << 20;
        final String marker;
        final Map<String, String> secrets;
        final List<String> found = new ArrayList<>();
        boolean markerSeen;
        long bytes;

        Search(String marker, Map<String, String> secrets) {
            this.marker = marker;
            this.secrets = secrets;
        }

        /** All needles are ASCII: ISO-8859-1 maps each byte to one char, so indexOf finds them in any bytes. */
        void scan(String where, String text) {
            bytes += text.length();
            markerSeen |= text.contains(marker);
            secrets.forEach((what, secret) -> {
                if (text.contains(secret)) {
                    found.add(what + " in " + where);
                }
            });
        }

        void scan(String where, byte[] content) {
            scan(where, new String(content, StandardCharsets.ISO_8859_1));
        }

        void scan(String where, Path file) throws IOException {
            int overlap = secrets.values().stream().mapToInt(String::length).max().orElse(0) + marker.length();
            try (var in = Files.newInputStream(file)) {
                byte[] carry = new byte[0];
                for (byte[] chunk = in.readNBytes(CHUNK); chunk.length > 0; chunk = in.readNBytes(CHUNK)) {
                    byte[] window = new byte[carry.length + chunk.length];
                    System.arraycopy(carry, 0, window, 0, carry.length);
                    System.arraycopy(chunk, 0, window, carry.length, chunk.length);
                    scan(where, window);
                    bytes -= carry.length;
                    carry = java.util.Arrays.copyOfRange(window, Math.max(0, window.length - overlap), window.length);
                }
            }
        }

        void assertMarkerSeen(String where) {
            assertTrue(markerSeen, "the cluster's name is in none of the " + where + ": the search cannot see there");
            markerSeen = false;
        }
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        assertTrue(Files.isDirectory(dir), dir + " is not a directory: set -Dpalisade.home / -Dpalisade.pgdata");
        try (Stream<Path> files = Files.walk(dir)) {
            return new ArrayList<>(files.filter(Files::isRegularFile).filter(Files::isReadable).toList());
        }
    }

    private static long searchEveryKafkaRecord(Search search) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.listTopics(Duration.ofSeconds(10)).values().stream()
                    .flatMap(List::stream).map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plusSeconds(120);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                assertTrue(Instant.now().isBefore(deadline), "the topics were not read to their end in 2 minutes");
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    String where = "Kafka record " + r.topic() + "-" + r.partition() + "@" + r.offset();
                    if (r.key() != null) {
                        search.scan(where, r.key());
                    }
                    if (r.value() != null) {
                        search.scan(where, r.value());
                    }
                    r.headers().forEach(h -> {
                        if (h.value() != null) {
                            search.scan(where + " header " + h.key(), h.value());
                        }
                    });
                }
            }
        }
        return records;
    }
}
