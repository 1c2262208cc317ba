package io.palisade.plan.persistence;

import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A connector as learned from {@code palisade.connectors}. */
@Entity
@Table(name = "known_connector")
public class KnownConnector extends PanacheEntityBase {
    @Id
    public UUID id;

    public String environment;
}
