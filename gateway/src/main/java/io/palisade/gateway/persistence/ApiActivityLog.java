package io.palisade.gateway.persistence;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The gateway's record of who changed what through the API (method, path, answer), kept in its own database.
 * Written off the request path: a slow database never delays an API call, and a failed write is logged.
 */
@ApplicationScoped
public class ApiActivityLog {
    private static final Logger LOG = Logger.getLogger(ApiActivityLog.class);

    private final EntityManager em;
    private final ManagedExecutor executor;

    public ApiActivityLog(EntityManager em, ManagedExecutor executor) {
        this.em = em;
        this.executor = executor;
    }

    public void record(String username, String method, String path, int status, String service) {
        Instant at = Instant.now();
        executor.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                INSERT INTO api_activity (at, username, method, path, status, service) VALUES (?1, ?2, ?3, ?4, ?5, ?6)""")
                .setParameter(1, at).setParameter(2, username).setParameter(3, method).setParameter(4, path)
                .setParameter(5, status).setParameter(6, service)
                .executeUpdate()))
                .exceptionally(e -> {
                    LOG.warnf("Could not record API activity of %s (%s %s): %s", username, method, path, e.toString());
                    return null;
                });
    }
}
