package io.palisade.alert.export;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An admin-configured export: where alert changes go (webhook or syslog), which ones, and how delivery fares. */
@Entity
@Table(name = "alert_export")
public class AlertExport extends PanacheEntityBase {
    public static final String WEBHOOK = "webhook";
    public static final String SYSLOG = "syslog";

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public boolean enabled;

    @Column(name = "min_severity")
    public String minSeverity;

    /** {@link ExportSeverity#rank} of {@link #minSeverity}, so the outbox can filter in SQL. */
    @Column(name = "min_severity_rank", nullable = false)
    public int minSeverityRank;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "alert_types")
    public List<String> alertTypes;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> statuses;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "connector_ids")
    public List<String> connectorIds;

    public String url;

    /** Signs webhook bodies; stored as given (the database is the service's own), never returned by the API. */
    public String secret;

    public String host;

    public Integer port;

    public String protocol;

    @Column(name = "last_success_at")
    public Instant lastSuccessAt;

    @Column(name = "last_error_at")
    public Instant lastErrorAt;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "delivered_count", nullable = false)
    public long deliveredCount;

    /** Deliveries dropped undelivered: permanent failures and those that ran out of attempts. */
    @Column(name = "failed_count", nullable = false)
    public long failedCount;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
