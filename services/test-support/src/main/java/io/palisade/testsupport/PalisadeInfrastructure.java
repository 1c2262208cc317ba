package io.palisade.testsupport;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real Kafka broker (KRaft, in this JVM) and a real PostgreSQL server (binaries shipped in a jar) for
 * {@code @QuarkusTest}s. Started once per test JVM and shared by every test class; stopped when the JVM exits.
 * No Docker is involved.
 */
public class PalisadeInfrastructure implements QuarkusTestResourceLifecycleManager {
    private static KafkaClusterTestKit kafka;
    private static EmbeddedPostgres postgres;

    @Override
    public Map<String, String> start() {
        ensureStarted();
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put("quarkus.datasource.jdbc.url", postgres.getJdbcUrl("postgres", "postgres"));
        config.put("quarkus.datasource.username", "postgres");
        config.put("quarkus.datasource.password", "postgres");
        return config;
    }

    public static synchronized String kafkaBootstrapServers() {
        ensureStarted();
        return kafka.bootstrapServers();
    }

    private static synchronized void ensureStarted() {
        if (kafka != null) {
            return;
        }
        try {
            postgres = EmbeddedPostgres.builder().start();
            kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .build();
            kafka.format();
            kafka.startup();
            kafka.waitForReadyBrokers();
            Runtime.getRuntime().addShutdownHook(new Thread(PalisadeInfrastructure::shutdown, "test-infra-shutdown"));
        } catch (Exception e) {
            throw new IllegalStateException("could not start the test Kafka broker and PostgreSQL", e);
        }
    }

    private static void shutdown() {
        try {
            kafka.close();
        } catch (Exception ignored) {
            // the JVM is exiting
        }
        try {
            postgres.close();
        } catch (Exception ignored) {
            // the JVM is exiting
        }
    }

    @Override
    public void stop() {
        // shared by every test class of this JVM; closed by the shutdown hook
    }
}
