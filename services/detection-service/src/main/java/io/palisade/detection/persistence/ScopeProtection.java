package io.palisade.detection.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * Whether a scope has a plan that protects Kubernetes (Containers, or the legacy Kubernetes plan, at Standard) and
 * since when. Audit logs are collected only for protected scopes, and alerts raised only for activity since then.
 */
@Entity
@Table(name = "scope_protection")
public class ScopeProtection extends PanacheEntityBase {
    @Id
    @Column(name = "scope_id")
    public UUID scopeId;

    @Column(name = "protected_since")
    public Instant protectedSince;

    @Column(name = "protecting_plan")
    public String protectingPlan;

    /** Whether the protecting plan collects audit logs (its AuditLogCollection extension is on). */
    @Column(name = "collects_audit_logs", nullable = false)
    public boolean collectsAuditLogs = true;

    /** Days the scope's archived audit events are kept, from its protecting plan; null: the configured default. */
    @Column(name = "retention_days")
    public Integer retentionDays;

    public boolean isProtected() {
        return protectedSince != null;
    }

    public boolean covers(Instant activity) {
        return protectedSince != null && !activity.isBefore(protectedSince);
    }
}
