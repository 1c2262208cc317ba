package io.palisade.plan.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One entry of a scope's plan history: who changed which plan, when, from which tier to which, and what else. */
@Entity
@Table(name = "plan_change")
public class PlanChange extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "scope_id", nullable = false)
    public UUID scopeId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public PlanName plan;

    @Column(name = "changed_by", nullable = false)
    public String changedBy;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_tier", nullable = false)
    public PricingTier fromTier;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_tier", nullable = false)
    public PricingTier toTier;

    /** What else changed, readable: "auditLogRetentionDays 30 → 14; ContainerSensor on → off". */
    @Column(nullable = false)
    public String changes;
}
