package io.palisade.detection.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.palisade.common.messaging.EventCodec;
import io.palisade.detection.config.DetectionConfig;
import io.palisade.detection.engine.DetectionEngine;
import io.palisade.detection.engine.DetectionRule;
import io.palisade.detection.engine.IpLists;
import io.palisade.detection.engine.RuleDefinitionException;
import io.palisade.detection.engine.RuleLoader;
import io.palisade.detection.persistence.RuleStore;
import io.palisade.detection.sensor.NodeAlertMapping;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * The rules in force: the shipped catalogue (validated at start; a shipped rule that does not validate stops the
 * start) plus the custom rules admins wrote, minus the rules they turned off, over the current IP lists. Changes
 * take effect without a restart: at once on the replica that made them, and within
 * {@code palisade.detection.refresh-interval} on the others (they watch the catalogue's version in the database).
 */
@ApplicationScoped
public class RuleCatalogue {
    private static final Logger LOG = Logger.getLogger(RuleCatalogue.class);

    /** Where a rule comes from. */
    public enum Source {
        shipped, custom
    }

    /** A rule of the catalogue, whether it is on, and (for a custom rule that no longer loads) why not. */
    public record CatalogueRule(DetectionRule rule, Source source, boolean enabled, JsonNode definition) {
    }

    private final IpLists ipLists = new IpLists();
    private final RuleLoader loader = new RuleLoader(ipLists);
    private final List<DetectionRule> shipped = new ArrayList<>();
    private final NodeAlertMapping nodeMapping;
    private final RuleStore store;
    private final Map<String, Path> ipListFiles;
    private final Map<String, Long> ipListFileVersions = new ConcurrentHashMap<>();

    private volatile Snapshot snapshot;

    private record Snapshot(long version, DetectionEngine engine, Map<String, CatalogueRule> rules) {
    }

    public RuleCatalogue(DetectionConfig.Detection config, RuleStore store) {
        this.store = store;
        for (String file : config.ruleFiles()) {
            try (InputStream in = resource(file)) {
                shipped.addAll(loader.loadFile(in, file));
            } catch (IOException e) {
                throw new RuleDefinitionException("cannot read rule file " + file + ": " + e.getMessage());
            }
        }
        try (InputStream in = resource(config.nodeMappingFile())) {
            this.nodeMapping = NodeAlertMapping.load(in, config.nodeMappingFile());
        } catch (IOException e) {
            throw new RuleDefinitionException("cannot read " + config.nodeMappingFile() + ": " + e.getMessage());
        }
        this.ipListFiles = config.ipListFiles().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> Path.of(e.getValue())));
        this.snapshot = build(-1, shippedOnly());
        LOG.infof("Loaded %d shipped detection rules from %s and %d node alert mappings", shipped.size(),
                config.ruleFiles(), nodeMapping.entries().size());
    }

    private static InputStream resource(String file) {
        InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(file);
        if (in == null) {
            throw new RuleDefinitionException("rule file " + file + " is not on the classpath");
        }
        return in;
    }

    void onStart(@Observes StartupEvent start) {
        reload();
    }

    /**
     * The rules in force. Until the catalogue has been read from the database once (custom rules, settings, IP
     * lists), callers wait: the detector must never judge a backlog by the shipped rules alone, which would miss
     * custom rules and fire rules an admin turned off.
     */
    public DetectionEngine engine() {
        Snapshot current = snapshot;
        if (current.version() < 0) {
            current = awaitFirstLoad();
        }
        return current.engine();
    }

    private Snapshot awaitFirstLoad() {
        long waitedSince = System.nanoTime();
        while (snapshot.version() < 0) {
            try {
                reload();
            } catch (RuntimeException e) {
                if (System.nanoTime() - waitedSince > 10_000_000_000L) {
                    LOG.warnf("Detection waits for the rule catalogue, which cannot be read yet: %s", e.toString());
                    waitedSince = System.nanoTime();
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the rule catalogue", interrupted);
                }
            }
        }
        return snapshot;
    }

    public NodeAlertMapping nodeMapping() {
        return nodeMapping;
    }

    public IpLists ipLists() {
        return ipLists;
    }

    public Map<String, List<String>> lists() {
        return loader.lists();
    }

    public boolean isShipped(String id) {
        return shipped.stream().anyMatch(r -> r.id().equals(id));
    }

    /** Whether a list is kept in a configured file (and so cannot be changed through the API). */
    public Path ipListFile(String name) {
        return ipListFiles.get(name);
    }

    public List<CatalogueRule> rules() {
        return List.copyOf(snapshot.rules().values());
    }

    public CatalogueRule rule(String id) {
        return snapshot.rules().get(id);
    }

    /** Checks a custom rule's definition exactly as shipped rules are checked; a problem is a RuleDefinitionException. */
    public DetectionRule validate(JsonNode definition) {
        return loader.rule(definition, "custom rule");
    }

    @Scheduled(every = "${palisade.detection.refresh-interval:5s}", delayed = "${palisade.detection.refresh-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshIfChanged() {
        long version = QuarkusTransaction.requiringNew().call(store::version);
        if (version != snapshot.version() || ipListFilesChanged()) {
            reload();
        }
    }

    /** Reads custom rules, settings and IP lists and swaps in a new engine. */
    public synchronized void reload() {
        QuarkusTransaction.requiringNew().run(() -> {
            long version = store.version();
            Map<String, Boolean> settings = store.shippedRuleSettings();
            Map<String, CatalogueRule> rules = new LinkedHashMap<>();
            for (DetectionRule rule : shipped) {
                rules.put(rule.id(), new CatalogueRule(rule, Source.shipped, settings.getOrDefault(rule.id(), true),
                        null));
            }
            for (RuleStore.StoredRule stored : store.customRules()) {
                try {
                    JsonNode definition = EventCodec.mapper().readTree(stored.definition());
                    rules.put(stored.id(), new CatalogueRule(validate(definition), Source.custom, stored.enabled(),
                            definition));
                } catch (IOException | RuntimeException e) {
                    LOG.errorf("Custom rule '%s' no longer loads and is not in force: %s", stored.id(), e.getMessage());
                }
            }
            store.ipLists().forEach(ipLists::replace);
            loadIpListFiles();
            snapshot = build(version, rules);
        });
    }

    private Map<String, CatalogueRule> shippedOnly() {
        Map<String, CatalogueRule> rules = new LinkedHashMap<>();
        shipped.forEach(r -> rules.put(r.id(), new CatalogueRule(r, Source.shipped, true, null)));
        return rules;
    }

    private static Snapshot build(long version, Map<String, CatalogueRule> rules) {
        List<DetectionRule> inForce = rules.values().stream().filter(CatalogueRule::enabled)
                .map(CatalogueRule::rule).toList();
        return new Snapshot(version, new DetectionEngine(inForce), Map.copyOf(rules));
    }

    private boolean ipListFilesChanged() {
        for (Map.Entry<String, Path> file : ipListFiles.entrySet()) {
            if (modified(file.getValue()) != ipListFileVersions.getOrDefault(file.getKey(), -1L)) {
                return true;
            }
        }
        return false;
    }

    /** Lists kept in files (one address or CIDR range per line, # comments): a file that does not validate is ignored. */
    private void loadIpListFiles() {
        for (Map.Entry<String, Path> file : ipListFiles.entrySet()) {
            long modified = modified(file.getValue());
            try {
                List<String> entries = Files.readAllLines(file.getValue()).stream().map(String::trim)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
                String invalid = IpLists.firstInvalid(entries);
                if (invalid != null) {
                    LOG.errorf("IP list file %s has an invalid entry '%s'; the list keeps its previous content",
                            file.getValue(), invalid);
                } else {
                    ipLists.replace(file.getKey(), entries);
                    LOG.infof("IP list '%s': %d entries from %s", file.getKey(), entries.size(), file.getValue());
                }
            } catch (IOException e) {
                LOG.errorf("IP list file %s cannot be read: %s", file.getValue(), e.getMessage());
            }
            ipListFileVersions.put(file.getKey(), modified);
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0L;
        }
    }
}
