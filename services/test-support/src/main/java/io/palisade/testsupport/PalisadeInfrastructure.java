package io.palisade.testsupport;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real Kafka broker (KRaft, in this JVM) and a real PostgreSQL server (binaries shipped in a jar) for
 * {@code @QuarkusTest}s. Started with the first Quarkus application of the test run and shared by every test class
 * that uses it; stopped after that application stops (a JVM shutdown hook only catches runs that end abruptly).
 * No Docker is involved.
 */
public class PalisadeInfrastructure implements QuarkusTestResourceLifecycleManager {
    private static KafkaClusterTestKit kafka;
    private static EmbeddedPostgres postgres;
    private static boolean hookInstalled;

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
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(PalisadeInfrastructure::shutdown, "test-infra-shutdown"));
                hookInstalled = true;
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not start the test Kafka broker and PostgreSQL", e);
        }
    }

    private static synchronized void shutdown() {
        if (kafka != null) {
            try {
                kafka.close();
            } catch (Exception e) {
                System.err.println("test Kafka broker did not close cleanly: " + e);
            }
            kafka = null;
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("test PostgreSQL did not close cleanly: " + e);
            }
            postgres = null;
        }
    }

    /** Quarkus calls this once the application that used the infrastructure has stopped. */
    @Override
    public void stop() {
        shutdown();
    }
}
