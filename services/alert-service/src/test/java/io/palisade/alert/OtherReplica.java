package io.palisade.alert;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import io.palisade.alert.service.AlertChangeChannel;
import io.palisade.alert.service.AlertChanged;

/**
 * What another alert-service replica, or any other session, does to the shared database: a plain JDBC connection of
 * its own (outside the application's pool), in a transaction the test commits or rolls back.
 */
public final class OtherReplica implements AutoCloseable {
    private final Connection connection;

    private OtherReplica(Connection connection) {
        this.connection = connection;
    }

    /** A new session on the application's database, with a transaction open. */
    public static OtherReplica connect() throws SQLException {
        Config config = ConfigProvider.getConfig();
        Connection connection = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
        connection.setAutoCommit(false);
        return new OtherReplica(connection);
    }

    /** Runs a statement with the given parameters; returns the count of rows changed. */
    public int update(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(sql, parameters)) {
            statement.execute();
            return Math.max(statement.getUpdateCount(), 0);
        }
    }

    /** The first column of the first row, or null. */
    public Object queryValue(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(sql, parameters); ResultSet rows = statement.executeQuery()) {
            return rows.next() ? rows.getObject(1) : null;
        }
    }

    /** Announces a change as a replica does in the change's transaction: delivered to listeners on commit only. */
    public void announce(String alertId, AlertChanged.Kind kind) throws SQLException {
        queryValue("SELECT pg_notify(?, ?)::text", AlertChangeChannel.NAME,
                AlertChangeChannel.payload(new AlertChanged(alertId, kind)));
    }

    /** Waits until a statement of another session waits for a lock this session holds. */
    public void awaitBlockingAnother() throws SQLException {
        int pid = ((Number) queryValue("SELECT pg_backend_pid()")).intValue();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            try (OtherReplica observer = connect()) {
                Number waiting = (Number) observer.queryValue(
                        "SELECT count(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))", pid);
                return waiting.intValue() > 0;
            }
        });
    }

    public void commit() throws SQLException {
        connection.commit();
    }

    public void rollback() throws SQLException {
        connection.rollback();
    }

    private PreparedStatement prepare(String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }

    /** Rolls back what was not committed and closes the session (its locks go with it). */
    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
        } finally {
            connection.close();
        }
    }
}
