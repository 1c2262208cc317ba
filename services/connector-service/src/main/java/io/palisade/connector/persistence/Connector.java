package io.palisade.connector.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

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
