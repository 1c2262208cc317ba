-- An on-premises connector may have no hierarchy identifier (connector-service allows it): such a connector is still
-- registered, so its record is no longer refused (and dead-lettered) by the registry.
ALTER TABLE connector_registration ALTER COLUMN hierarchy_identifier DROP NOT NULL;
