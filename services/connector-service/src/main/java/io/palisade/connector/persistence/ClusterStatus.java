package io.palisade.connector.persistence;

import java.time.Instant;
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

/** What was last seen of a cluster through its Kubernetes API: reachability, inventory and the sensor. */
@Entity
@Table(name = "cluster_status")
public class ClusterStatus extends PanacheEntityBase {
    public enum Connectivity {
        Connected, Disconnected
    }

    @Id
    @Column(name = "cluster_id")
    public UUID clusterId;

    @Column(name = "connector_id", nullable = false)
    public UUID connectorId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Connectivity connectivity;

    /** Why the cluster is Disconnected. */
    public String reason;

    @Column(name = "last_checked_at", nullable = false)
    public Instant lastCheckedAt;

    /** The last time the API answered. */
    @Column(name = "last_seen_at")
    public Instant lastSeenAt;

    @Column(name = "kubernetes_version")
    public String kubernetesVersion;

    public Integer nodes;

    public Integer namespaces;

    /** Workload kind → count across all namespaces. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Integer> workloads;

    @Column(name = "sensor_installed")
    public Boolean sensorInstalled;

    @Column(name = "sensor_desired")
    public Integer sensorDesired;

    @Column(name = "sensor_ready")
    public Integer sensorReady;

    @Column(name = "sensor_image")
    public String sensorImage;
}
