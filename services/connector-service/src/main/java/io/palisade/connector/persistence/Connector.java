package io.palisade.connector.persistence;

import java.time.Instant;
import java.util.ArrayList;
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

/** A cloud connector: an Azure subscription, AWS account, GCP project or on-prem environment holding clusters. */
@Entity
@Table(name = "connector")
public class Connector extends PanacheEntityBase {
    @Id
    public UUID id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Environment environment;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    @Column(name = "hierarchy_identifier")
    public String hierarchyIdentifier;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<String> regions = new ArrayList<>();

    /** Containers offering: collect audit logs automatically. */
    @Column(name = "audit_log_auto_provisioning", nullable = false)
    public boolean auditLogAutoProvisioning = true;

    /** Containers offering: install the sensor on new clusters automatically. */
    @Column(name = "sensor_auto_provisioning", nullable = false)
    public boolean sensorAutoProvisioning = true;

    /** Containers offering: discover clusters through the cloud APIs. */
    @Column(name = "agentless_discovery", nullable = false)
    public boolean agentlessDiscovery = true;

    /** Containers offering: deploy the admission policy agent. */
    @Column(name = "policy_agent", nullable = false)
    public boolean policyAgent = true;

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
}
