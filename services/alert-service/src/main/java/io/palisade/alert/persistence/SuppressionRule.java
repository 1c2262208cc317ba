package io.palisade.alert.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A suppression rule: new alerts of {@link #alertType} (exact, or a prefix ending in {@code *}) whose entities meet
 * every condition are dismissed on arrival, with the rule recorded as the actor. A rule belongs to one connector, or to
 * every connector when {@link #connectorId} is null.
 */
@Entity
@Table(name = "suppression_rule")
public class SuppressionRule extends PanacheEntityBase {
    /** The {@code changedBy} of the state changes a rule makes: {@code suppression-rule:<id>}. */
    public static final String ACTOR_PREFIX = "suppression-rule:";

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(name = "connector_id")
    public UUID connectorId;

    @Column(name = "alert_type", nullable = false)
    public String alertType;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<SuppressionCondition> conditions;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public SuppressionReason reason;

    public String comment;

    @Column(name = "expiration_date_utc")
    public Instant expirationDateUtc;

    @Column(nullable = false)
    public boolean enabled;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_modified_by", nullable = false)
    public String lastModifiedBy;

    @Column(name = "last_modified_at", nullable = false)
    public Instant lastModifiedAt;

    @Version
    public long version;

    public SuppressionState state(Instant now) {
        if (!enabled) {
            return SuppressionState.Disabled;
        }
        return expirationDateUtc != null && !expirationDateUtc.isAfter(now) ? SuppressionState.Expired
                : SuppressionState.Enabled;
    }

    public String actor() {
        return ACTOR_PREFIX + id;
    }
}
