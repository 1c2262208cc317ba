package io.palisade.alert.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A stored alert: the detection's facts plus the status users give it. */
@Entity
@Table(name = "alert")
public class Alert extends PanacheEntityBase {
    @Id
    public String id;

    @Column(name = "connector_id", nullable = false)
    public UUID connectorId;

    @Column(name = "cluster_id", nullable = false)
    public UUID clusterId;

    @Column(name = "rule_id")
    public String ruleId;

    @Column(name = "alert_type", nullable = false)
    public String alertType;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    @Column(nullable = false)
    public String description;

    @Column(nullable = false)
    public String severity;

    public String intent;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> techniques;

    @Column(name = "compromised_entity")
    public String compromisedEntity;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<Map<String, Object>> entities;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "remediation_steps")
    public List<String> remediationSteps;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "resource_identifiers")
    public List<Map<String, Object>> resourceIdentifiers;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "extended_properties")
    public Map<String, String> extendedProperties;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "supporting_evidence")
    public Map<String, Object> supportingEvidence;

    @Column(name = "correlation_key")
    public String correlationKey;

    @Column(name = "product_component_name")
    public String productComponentName;

    @Column(name = "start_time_utc", nullable = false)
    public Instant startTimeUtc;

    @Column(name = "end_time_utc", nullable = false)
    public Instant endTimeUtc;

    @Column(name = "time_generated_utc", nullable = false)
    public Instant timeGeneratedUtc;

    /** The kind of cluster the alert is about: AKS, EKS, GKE, OnPrem (Unknown when detection did not say). */
    @Column(name = "resource_type")
    public String resourceType;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public AlertStatus status;
}
