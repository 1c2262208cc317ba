package io.palisade.alert.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;
import org.postgresql.Driver;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.palisade.alert.config.AlertStreamConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Listens ({@code LISTEN palisade_alert_changed}) for the alert changes every replica announces
 * ({@link AlertChangeChannel}) and hands them to this replica's {@link AlertStream}. It holds one connection of its own,
 * outside the pool (opened with the datasource's URL, username, password and additional JDBC properties, and named
 * {@value #APPLICATION_NAME} in {@code pg_stat_activity}), read by one daemon thread.
 *
 * <p>When the connection fails (database restart or failover, network loss; a connection that stops answering is
 * noticed by a check every {@code palisade.alert-stream.listener-check-interval}), the failure is logged and the
 * connection reopened after 1 s, 2 s, 4 s, … up to {@code listener-retry-max}. Changes committed meanwhile were not
 * heard, so once it listens again every stream that was open is closed (its client reconnects and reloads the list).
 * The gauge {@code palisade.alerts.stream.listening} is 1 while it listens.
 */
@ApplicationScoped
public class AlertChangeListener {
    /** The listening connection's {@code application_name}. */
    public static final String APPLICATION_NAME = "alert-service live stream";

    private static final Logger LOG = Logger.getLogger(AlertChangeListener.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    /** How long one read waits for notifications; bounds how long shutdown waits for the thread. */
    private static final int POLL_MILLIS = 500;
    private static final int CHECK_TIMEOUT_SECONDS = 5;
    private static final String DATASOURCE = "quarkus.datasource.";
    private static final String JDBC_PROPERTIES = DATASOURCE + "jdbc.additional-jdbc-properties.";

    private final AlertStream stream;
    private final AlertStreamConfig config;
    private final Config settings;
    private volatile boolean running;
    private volatile boolean listening;
    private Thread thread;

    public AlertChangeListener(AlertStream stream, AlertStreamConfig config, Config settings, MeterRegistry metrics) {
        this.stream = stream;
        this.config = config;
        this.settings = settings;
        Gauge.builder("palisade.alerts.stream.listening", this, listener -> listener.listening ? 1 : 0)
                .description("1 while this replica listens for alert changes for its live streams, 0 while it "
                        + "reconnects")
                .register(metrics);
    }

    /** True while the connection listens. */
    public boolean listening() {
        return listening;
    }

    /** Listens before the application takes requests (the first attempt is made here), then reads on its own thread. */
    void onStart(@Observes StartupEvent event) {
        running = true;
        Connection first = null;
        try {
            first = listen();
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Live stream: could not listen for alert changes yet (%s); retrying in the background", e);
        }
        Connection initial = first;
        thread = new Thread(() -> run(initial), "alert-change-listener");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(2000);
        }
    }

    private void run(Connection initial) {
        Connection connection = initial;
        Duration retry = FIRST_RETRY;
        boolean lost = initial == null;
        while (running) {
            try {
                if (connection == null) {
                    connection = listen();
                }
                if (lost) {
                    LOG.info("Live stream: listening for alert changes again; the streams that were open are closed"
                            + " so that their clients reload");
                    lost = false;
                }
                retry = FIRST_RETRY;
                read(connection);
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                listening = false;
                LOG.warnf("Live stream: %s the database connection it listens on for alert changes (%s); alert"
                        + " changes are not streamed until it is back; retrying in %d s",
                        lost ? "still cannot open" : "lost", e, retry.toSeconds());
                lost = true;
            } finally {
                close(connection);
                connection = null;
            }
            if (running && lost) {
                try {
                    Thread.sleep(retry.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                retry = retry.multipliedBy(2).compareTo(config.listenerRetryMax()) > 0 ? config.listenerRetryMax()
                        : retry.multipliedBy(2);
            }
        }
        listening = false;
    }

    /**
     * Opens the connection and listens on it; changes committed before this were not heard by this connection, so
     * the streams open now are interrupted (none, when the application starts).
     */
    private Connection listen() throws SQLException {
        Connection connection = connect();
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + AlertChangeChannel.NAME);
        } catch (SQLException | RuntimeException e) {
            close(connection);
            throw e;
        }
        listening = true;
        stream.interrupt();
        return connection;
    }

    /** Hands every notification to the stream, checking a quiet connection now and then; returns when stopping. */
    private void read(Connection connection) throws SQLException {
        PGConnection postgres = connection.unwrap(PGConnection.class);
        long checkNanos = config.listenerCheckInterval().toNanos();
        long lastHeard = System.nanoTime();
        while (running) {
            PGNotification[] notifications = postgres.getNotifications(POLL_MILLIS);
            if (notifications != null && notifications.length > 0) {
                lastHeard = System.nanoTime();
                List<AlertChanged> changes = new ArrayList<>(notifications.length);
                for (PGNotification notification : notifications) {
                    AlertChangeChannel.parse(notification.getParameter()).ifPresent(changes::add);
                }
                stream.publish(changes);
            } else if (System.nanoTime() - lastHeard >= checkNanos) {
                if (!connection.isValid(CHECK_TIMEOUT_SECONDS)) {
                    throw new SQLException("no answer within " + CHECK_TIMEOUT_SECONDS + " s");
                }
                lastHeard = System.nanoTime();
            }
        }
    }

    /** A connection of its own, outside the pool, with the datasource's settings. */
    private Connection connect() throws SQLException {
        String url = settings.getValue(DATASOURCE + "jdbc.url", String.class);
        Properties properties = new Properties();
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("tcpKeepAlive", "true");
        for (String name : settings.getPropertyNames()) {
            if (name.startsWith(JDBC_PROPERTIES)) {
                properties.setProperty(unquote(name.substring(JDBC_PROPERTIES.length())),
                        settings.getValue(name, String.class));
            }
        }
        settings.getOptionalValue(DATASOURCE + "username", String.class).ifPresent(u -> properties.setProperty("user", u));
        settings.getOptionalValue(DATASOURCE + "password", String.class)
                .ifPresent(p -> properties.setProperty("password", p));
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        Connection connection = new Driver().connect(url, properties);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + url);
        }
        return connection;
    }

    private static String unquote(String key) {
        return key.length() > 1 && key.startsWith("\"") && key.endsWith("\"") ? key.substring(1, key.length() - 1)
                : key;
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // already broken; nothing to release
            }
        }
    }
}
