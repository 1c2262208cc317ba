package io.palisade.benchmarks.endtoend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What the driver reads of the stack besides its API: the resident memory of each component `./palisade up`
 * started (its pid file, {@code /proc/<pid>/status}) and how far each consumer group of the audit-events topic is
 * behind (committed offsets against the log end, through Kafka's admin API).
 */
final class StackProbes implements AutoCloseable {
    static final String AUDIT_TOPIC = "palisade.audit-events";
    /** detection-service's two consumer groups of the audit topic: rules → alerts, and the archive. */
    static final List<String> GROUPS = List.of("detection-detector", "detection-archiver");
    static final List<String> SERVICES = List.of("gateway", "connector-service", "plan-service", "detection-service",
            "alert-service");
    static final List<String> INFRASTRUCTURE = List.of("kafka", "postgres", "keycloak");

    private final Path runDirectory;
    private final Admin admin;

    StackProbes(Path palisadeHome, String kafkaBootstrap) {
        this.runDirectory = palisadeHome.resolve("run");
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        this.admin = Admin.create(config);
    }

    Admin admin() {
        return admin;
    }

    /** Resident set size in MB of each component that is running (its main process), by name. */
    Map<String, Double> residentMegabytes() {
        Map<String, Double> rss = new LinkedHashMap<>();
        for (String component : concat(SERVICES, INFRASTRUCTURE)) {
            Path pidFile = runDirectory.resolve(component + ".pid");
            try {
                if (!Files.exists(pidFile)) {
                    continue;
                }
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                rss.put(component, treeKilobytes(pid) / 1024.0);
            } catch (IOException | NumberFormatException e) {
                // not running (any more): nothing to read
            }
        }
        return rss;
    }

    /**
     * The resident memory of a process and its descendants (Keycloak's start script runs the JVM as a child,
     * PostgreSQL serves each connection from a child; pages they share are counted per process).
     */
    private static long treeKilobytes(long pid) throws IOException {
        long kb = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                kb += Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        Path children = Path.of("/proc", Long.toString(pid), "task", Long.toString(pid), "children");
        if (Files.exists(children)) {
            for (String child : Files.readString(children).trim().split("\\s+")) {
                if (!child.isEmpty()) {
                    try {
                        kb += treeKilobytes(Long.parseLong(child));
                    } catch (IOException e) {
                        // gone meanwhile
                    }
                }
            }
        }
        return kb;
    }

    /** Records each group has yet to consume from the audit topic. */
    Map<String, Long> lag() {
        try {
            Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new LinkedHashMap<>();
            for (String group : GROUPS) {
                committed.put(group, admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                        .get(5, TimeUnit.SECONDS));
            }
            Collection<TopicPartition> partitions = admin.describeTopics(List.of(AUDIT_TOPIC)).allTopicNames()
                    .get(5, TimeUnit.SECONDS).get(AUDIT_TOPIC).partitions().stream()
                    .map(p -> new TopicPartition(AUDIT_TOPIC, p.partition())).toList();
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(partitions.stream()
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get(5, TimeUnit.SECONDS);
            Map<String, Long> lag = new LinkedHashMap<>();
            committed.forEach((group, offsets) -> {
                long behind = 0;
                for (TopicPartition partition : partitions) {
                    OffsetAndMetadata at = offsets.get(partition);
                    behind += ends.get(partition).offset() - (at == null ? 0 : at.offset());
                }
                lag.put(group, behind);
            });
            return lag;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the consumer groups' offsets: " + e.getMessage(), e);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    @Override
    public void close() {
        admin.close();
    }
}
