package io.palisade.connector;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;

/** What another replica of the service does to the shared database, on a connection of its own. */
public final class OtherReplica {
    private OtherReplica() {
    }

    /** A database connection of its own, as another replica has. */
    public static Connection connection() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }

    /** Waits until a session of this replica waits for a lock that {@code holder}'s uncommitted work holds. */
    public static void awaitBlockedBy(Connection holder) throws SQLException {
        int pid;
        try (ResultSet r = holder.createStatement().executeQuery("SELECT pg_backend_pid()")) {
            r.next();
            pid = r.getInt(1);
        }
        try (Connection observer = connection()) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                try (PreparedStatement blocked = observer.prepareStatement(
                        "SELECT count(*) FROM pg_stat_activity WHERE ? = ANY (pg_blocking_pids(pid))")) {
                    blocked.setInt(1, pid);
                    try (ResultSet r = blocked.executeQuery()) {
                        r.next();
                        return r.getInt(1) > 0;
                    }
                }
            });
        }
    }
}
