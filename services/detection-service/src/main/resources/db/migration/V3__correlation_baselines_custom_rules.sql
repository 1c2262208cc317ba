-- Connectors as published on palisade.connectors: their environment and cloud identifier (an Azure subscription,
-- an AWS account, a GCP project) let records that name a cloud resource (AKS resource ids) find their cluster.
CREATE TABLE connector_registration (
    connector_id         UUID PRIMARY KEY,
    environment          VARCHAR(32)  NOT NULL,
    hierarchy_identifier VARCHAR(200) NOT NULL
);
CREATE INDEX connector_registration_identifier_idx ON connector_registration (environment, lower(hierarchy_identifier));

-- Whether the protecting plan collects audit logs (its AuditLogCollection extension); the sensor still reports.
ALTER TABLE scope_protection ADD COLUMN collects_audit_logs BOOLEAN NOT NULL DEFAULT TRUE;

-- One alert per rule, cluster, entity and correlation window: what it has seen so far.
CREATE TABLE alert_correlation (
    alert_id         VARCHAR(36)  PRIMARY KEY,
    cluster_id       UUID         NOT NULL,
    rule_key         VARCHAR(200) NOT NULL,
    entity_key       TEXT         NOT NULL,
    first_event_time TIMESTAMPTZ  NOT NULL,
    last_event_time  TIMESTAMPTZ  NOT NULL,
    event_count      INTEGER      NOT NULL,
    evidence         JSONB        NOT NULL,
    updated_at       TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX alert_correlation_updated_idx ON alert_correlation (updated_at);

-- The events counted into an alert, so that a redelivered event is never counted twice.
CREATE TABLE alert_correlation_event (
    alert_id VARCHAR(36)  NOT NULL REFERENCES alert_correlation (alert_id) ON DELETE CASCADE,
    event_id VARCHAR(200) NOT NULL,
    PRIMARY KEY (alert_id, event_id)
);

-- Baselines of anomaly rules: when each subject was first seen, and the operations it performed.
CREATE TABLE baseline_subject (
    cluster_id UUID         NOT NULL,
    rule_id    VARCHAR(80)  NOT NULL,
    subject    VARCHAR(512) NOT NULL,
    first_seen TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (cluster_id, rule_id, subject)
);
CREATE TABLE baseline_operation (
    cluster_id     UUID         NOT NULL,
    rule_id        VARCHAR(80)  NOT NULL,
    subject        VARCHAR(512) NOT NULL,
    operation      VARCHAR(512) NOT NULL,
    first_seen     TIMESTAMPTZ  NOT NULL,
    first_audit_id VARCHAR(64)  NOT NULL,
    was_rare       BOOLEAN      NOT NULL,
    PRIMARY KEY (cluster_id, rule_id, subject, operation)
);

-- Rules written by security admins through the API, validated like the shipped ones.
CREATE TABLE custom_rule (
    id          VARCHAR(80)  PRIMARY KEY,
    definition  JSONB        NOT NULL,
    enabled     BOOLEAN      NOT NULL DEFAULT TRUE,
    created_by  VARCHAR(200) NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL,
    updated_by  VARCHAR(200) NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL
);

-- Shipped rules an admin turned off (or on again).
CREATE TABLE rule_setting (
    rule_id    VARCHAR(80)  PRIMARY KEY,
    enabled    BOOLEAN      NOT NULL,
    changed_by VARCHAR(200) NOT NULL,
    changed_at TIMESTAMPTZ  NOT NULL
);

-- Threat-intelligence IP lists (for example "proxy": TOR exits and anonymising proxies).
CREATE TABLE ip_list_entry (
    list_name VARCHAR(80) NOT NULL,
    entry     VARCHAR(64) NOT NULL,
    PRIMARY KEY (list_name, entry)
);
CREATE TABLE ip_list (
    list_name  VARCHAR(80)  PRIMARY KEY,
    updated_by VARCHAR(200) NOT NULL,
    updated_at TIMESTAMPTZ  NOT NULL
);

-- Bumped by every change of rules, rule settings or IP lists: each replica reloads when it moves.
CREATE TABLE rule_catalogue_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT  NOT NULL
);
INSERT INTO rule_catalogue_version (id, version) VALUES (1, 0);
