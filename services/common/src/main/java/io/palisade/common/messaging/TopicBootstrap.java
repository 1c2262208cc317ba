package io.palisade.common.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Creates the platform's topics with their intended layout (compaction for state topics) before the messaging
 * channels start. Brokers run with auto-creation off, so no topic is ever created with the wrong settings by
 * whichever client touches it first. Idempotent: existing topics keep their layout; only a record size limit below
 * the spec's is raised.
 */
@ApplicationScoped
public class TopicBootstrap {
    private static final Logger LOG = Logger.getLogger(TopicBootstrap.class);

    private final String bootstrapServers;
    private final KafkaTopicsConfig config;

    public TopicBootstrap(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            KafkaTopicsConfig config) {
        this.bootstrapServers = bootstrapServers;
        this.config = config;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        if (config.topicBootstrapEnabled()) {
            ensureTopics(Topics.ALL);
        }
    }

    public void ensureTopics(List<Topics.TopicSpec> specs) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        Duration timeout = config.topicBootstrapTimeout();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            raiseMessageSizeLimits(admin, specs.stream().filter(s -> existing.contains(s.name())).toList(), timeout);
            List<NewTopic> missing = specs.stream()
                    .filter(s -> !existing.contains(s.name()))
                    .map(this::newTopic)
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    LOG.infof("Created topic %s", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Not fatal: readiness reports Kafka DOWN until the broker is reachable, and the next start retries.
            LOG.errorf("Could not ensure Kafka topics on %s: %s", bootstrapServers, e.toString());
        }
    }

    /**
     * Topics made before their record size limit was raised (an older version) keep the broker's 1 MB default: raise
     * it to the spec's, so an event the ingest accepts is one the broker takes. Never lowers a limit set by hand.
     */
    private static void raiseMessageSizeLimits(Admin admin, List<Topics.TopicSpec> existing, Duration timeout)
            throws Exception {
        Map<ConfigResource, Topics.TopicSpec> sized = new java.util.LinkedHashMap<>();
        for (Topics.TopicSpec spec : existing) {
            if (spec.maxMessageBytes() > 0) {
                sized.put(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()), spec);
            }
        }
        if (sized.isEmpty()) {
            return;
        }
        Map<ConfigResource, Config> current = admin.describeConfigs(sized.keySet()).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<ConfigResource, java.util.Collection<AlterConfigOp>> raises = new java.util.LinkedHashMap<>();
        for (var entry : sized.entrySet()) {
            ConfigEntry limit = current.get(entry.getKey()).get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            int wanted = entry.getValue().maxMessageBytes();
            if (limit == null || Integer.parseInt(limit.value()) < wanted) {
                raises.put(entry.getKey(), List.of(new AlterConfigOp(new ConfigEntry(
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(wanted)), AlterConfigOp.OpType.SET)));
                LOG.infof("Raising %s of topic %s from %s to %d", TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                        entry.getKey().name(), limit == null ? "?" : limit.value(), wanted);
            }
        }
        if (!raises.isEmpty()) {
            admin.incrementalAlterConfigs(raises).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private NewTopic newTopic(Topics.TopicSpec spec) {
        NewTopic topic = new NewTopic(spec.name(), Optional.of(spec.partitions()),
                Optional.of(config.replicationFactor()));
        Map<String, String> configs = new java.util.HashMap<>();
        if (spec.compacted()) {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        if (spec.maxMessageBytes() > 0) {
            configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(spec.maxMessageBytes()));
        }
        topic.configs(configs);
        return topic;
    }
}
