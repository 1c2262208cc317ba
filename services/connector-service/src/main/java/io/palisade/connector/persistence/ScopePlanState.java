package io.palisade.connector.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A connector's plan state as plan-service publishes it: is it protected, are audit logs collected. */
@Entity
@Table(name = "scope_plan_state")
public class ScopePlanState extends PanacheEntityBase {
    @Id
    @Column(name = "scope_id")
    public UUID scopeId;

    @Column(name = "protected_since")
    public Instant protectedSince;

    @Column(name = "collects_audit_logs", nullable = false)
    public boolean collectsAuditLogs;
}
