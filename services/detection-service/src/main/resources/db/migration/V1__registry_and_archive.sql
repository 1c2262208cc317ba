-- Clusters and their ingest-token hashes, as published by connector-service on palisade.connectors.
CREATE TABLE cluster_registration (
    cluster_id        UUID PRIMARY KEY,
    connector_id      UUID         NOT NULL,
    name              VARCHAR(200) NOT NULL,
    kind              VARCHAR(16)  NOT NULL,
    ingest_token_hash CHAR(64)     NOT NULL UNIQUE
);
CREATE INDEX cluster_registration_connector_idx ON cluster_registration (connector_id);

-- Whether a scope (connector) is protected, from plan-service's palisade.plans.
CREATE TABLE scope_protection (
    scope_id        UUID PRIMARY KEY,
    protected_since TIMESTAMPTZ,
    protecting_plan VARCHAR(32)
);

-- Every accepted audit event, kept for the retention period.
CREATE TABLE audit_event_archive (
    cluster_id      UUID         NOT NULL,
    audit_id        VARCHAR(64)  NOT NULL,
    stage           VARCHAR(32)  NOT NULL,
    connector_id    UUID         NOT NULL,
    verb            VARCHAR(32)  NOT NULL,
    resource        VARCHAR(128),
    namespace       VARCHAR(253),
    name            VARCHAR(253),
    username        VARCHAR(512),
    event_time      TIMESTAMPTZ  NOT NULL,
    received_at     TIMESTAMPTZ  NOT NULL,
    event           JSONB        NOT NULL,
    PRIMARY KEY (cluster_id, audit_id, stage)
);
CREATE INDEX audit_event_archive_time_idx ON audit_event_archive (event_time);
CREATE INDEX audit_event_archive_connector_idx ON audit_event_archive (connector_id, event_time);
