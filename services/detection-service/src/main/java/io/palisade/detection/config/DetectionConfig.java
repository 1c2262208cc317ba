package io.palisade.detection.config;

import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of ingest and detection. */
public final class DetectionConfig {
    private DetectionConfig() {
    }

    @ConfigMapping(prefix = "palisade.ingest")
    public interface Ingest {
        /** Most audit events one request may carry; a larger batch is refused with 413. */
        @WithDefault("5000")
        int maxEventsPerRequest();
    }

    @ConfigMapping(prefix = "palisade.detection")
    public interface Detection {
        /** Rule catalogue files on the classpath, loaded at start; a rule that does not validate stops the start. */
        @WithDefault("rules/control-plane.yaml")
        List<String> ruleFiles();
    }
}
