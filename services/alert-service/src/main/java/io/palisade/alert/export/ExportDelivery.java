package io.palisade.alert.export;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * An outbox row: one alert change still to be delivered to one export. Written in the transaction that changed the
 * alert, so a change is never lost across restarts; deleted once delivered.
 */
@Entity
@Table(name = "export_delivery")
public class ExportDelivery extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(name = "export_id", nullable = false)
    public UUID exportId;

    @Column(name = "alert_id", nullable = false)
    public String alertId;

    /** {@link io.palisade.alert.service.AlertChanged.Kind} of the change. */
    @Column(name = "change_kind", nullable = false)
    public String changeKind;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The dispatcher round that claimed the row last (null when unclaimed); its writes to the row are fenced by it. */
    @Column(name = "claim_token")
    public UUID claimToken;
}
