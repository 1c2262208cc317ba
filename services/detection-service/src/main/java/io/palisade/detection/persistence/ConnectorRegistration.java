package io.palisade.detection.persistence;

import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A connector as connector-service publishes it: its environment and cloud identifier (e.g. an Azure subscription). */
@Entity
@Table(name = "connector_registration")
public class ConnectorRegistration extends PanacheEntityBase {
    @Id
    @Column(name = "connector_id")
    public UUID connectorId;

    @Column(nullable = false)
    public String environment;

    /** None for an on-premises connector registered without one. */
    @Column(name = "hierarchy_identifier")
    public String hierarchyIdentifier;

    public static List<ConnectorRegistration> byIdentifier(String environment, String identifier) {
        return list("environment = ?1 and lower(hierarchyIdentifier) = ?2", environment, identifier.toLowerCase(java.util.Locale.ROOT));
    }
}
