package io.palisade.detection.service;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.palisade.detection.config.DetectionConfig;
import io.palisade.detection.engine.DetectionEngine;
import io.palisade.detection.engine.DetectionRule;
import io.palisade.detection.engine.RuleDefinitionException;
import io.palisade.detection.engine.RuleLoader;
import io.quarkus.runtime.Startup;

/** The built-in rule catalogue, loaded and validated once at start. */
@ApplicationScoped
@Startup
public class RuleCatalogue {
    private static final Logger LOG = Logger.getLogger(RuleCatalogue.class);

    private final DetectionEngine engine;

    public RuleCatalogue(DetectionConfig.Detection config) {
        List<DetectionRule> rules = new ArrayList<>();
        for (String file : config.ruleFiles()) {
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(file)) {
                if (in == null) {
                    throw new RuleDefinitionException("rule file " + file + " is not on the classpath");
                }
                rules.addAll(RuleLoader.load(in, file));
            } catch (IOException e) {
                throw new RuleDefinitionException("cannot read rule file " + file + ": " + e.getMessage());
            }
        }
        this.engine = new DetectionEngine(rules);
        LOG.infof("Loaded %d detection rules from %s", rules.size(), config.ruleFiles());
    }

    public DetectionEngine engine() {
        return engine;
    }
}
