-- Connectors this service has learned of from palisade.connectors: plans exist only for known scopes.
CREATE TABLE known_connector (
    id          UUID PRIMARY KEY,
    environment VARCHAR(32) NOT NULL
);

CREATE TABLE plan (
    scope_id         UUID        NOT NULL,
    name             VARCHAR(32) NOT NULL,
    pricing_tier     VARCHAR(16) NOT NULL,
    enablement_time  TIMESTAMPTZ,
    last_modified_by VARCHAR(200) NOT NULL,
    last_modified_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (scope_id, name)
);
