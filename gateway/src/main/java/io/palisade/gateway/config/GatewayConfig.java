package io.palisade.gateway.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the services are, and how the gateway forwards to them. */
public final class GatewayConfig {
    private GatewayConfig() {
    }

    /** {@code palisade.services.<name>.url}: base URL of each service, e.g. http://127.0.0.1:8081 */
    @ConfigMapping(prefix = "palisade.services")
    public interface Services {
        Service connector();

        Service plan();

        Service detection();

        Service alert();

        interface Service {
            String url();
        }
    }

    @ConfigMapping(prefix = "palisade.routing")
    public interface Routing {
        /** How long an upstream service may take to answer before the caller gets 504. */
        @WithDefault("PT30S")
        Duration timeout();

        /** Largest request body forwarded; larger ones get 413. */
        @WithDefault("16777216")
        long maxBodyBytes();
    }
}
