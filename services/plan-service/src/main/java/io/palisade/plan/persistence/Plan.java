package io.palisade.plan.persistence;

import java.io.Serializable;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One plan of one scope (connector). A scope without a row for a plan has it at Free. */
@Entity
@Table(name = "plan")
public class Plan extends PanacheEntityBase {
    @EmbeddedId
    public Key key;

    @Enumerated(EnumType.STRING)
    @Column(name = "pricing_tier", nullable = false)
    public PricingTier pricingTier;

    /** When the plan last went to Standard; null while Free. Alerts are raised only for activity after it. */
    @Column(name = "enablement_time")
    public Instant enablementTime;

    /** Extension name → on/off; an extension the plan offers but this map lacks is on. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<PlanName.Extension, Boolean> extensions = new EnumMap<>(PlanName.Extension.class);

    /** Containers only: how long the audit logs of the scope's clusters are kept. */
    @Column(name = "audit_log_retention_days")
    public Integer auditLogRetentionDays;

    @Column(name = "last_modified_by", nullable = false)
    public String lastModifiedBy;

    @Column(name = "last_modified_at", nullable = false)
    public Instant lastModifiedAt;

    public boolean isEnabled(PlanName.Extension extension) {
        return extensions.getOrDefault(extension, Boolean.TRUE);
    }

    @Embeddable
    public static class Key implements Serializable {
        @Column(name = "scope_id")
        public UUID scopeId;

        @Enumerated(EnumType.STRING)
        @Column(name = "name")
        public PlanName name;

        public Key() {
        }

        public Key(UUID scopeId, PlanName name) {
            this.scopeId = scopeId;
            this.name = name;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.scopeId.equals(scopeId) && k.name == name;
        }

        @Override
        public int hashCode() {
            return scopeId.hashCode() * 31 + name.hashCode();
        }
    }
}
