-- Exports: admin-configured pushes of alert changes to a webhook (alerts-API JSON) or a syslog server (CEF).
CREATE TABLE alert_export (
    id                UUID PRIMARY KEY,
    name              VARCHAR(100)  NOT NULL UNIQUE,
    kind              VARCHAR(16)   NOT NULL CHECK (kind IN ('webhook', 'syslog')),
    enabled           BOOLEAN       NOT NULL,
    -- filter: an alert change is exported when every set part matches (null = any)
    min_severity      VARCHAR(16),
    min_severity_rank INT           NOT NULL DEFAULT 0,
    alert_types       JSONB,
    statuses          JSONB,
    connector_ids     JSONB,
    -- webhook target; the secret signs the body (HMAC-SHA256) and is never returned by the API
    url               VARCHAR(2048),
    secret            VARCHAR(512),
    -- syslog target
    host              VARCHAR(255),
    port              INT CHECK (port BETWEEN 1 AND 65535),
    protocol          VARCHAR(8) CHECK (protocol IN ('tcp', 'udp')),
    -- delivery status
    last_success_at   TIMESTAMPTZ,
    last_error_at     TIMESTAMPTZ,
    last_error        VARCHAR(1000),
    delivered_count   BIGINT        NOT NULL DEFAULT 0,
    created_by        VARCHAR(200)  NOT NULL,
    created_at        TIMESTAMPTZ   NOT NULL,
    updated_by        VARCHAR(200)  NOT NULL,
    updated_at        TIMESTAMPTZ   NOT NULL
);

-- The outbox: one row per (export, alert change), written in the transaction that changes the alert, deleted once
-- delivered. No foreign keys on purpose: a concurrent export deletion must never fail an alert's transaction; the
-- dispatcher drops rows whose export or alert is gone.
CREATE TABLE export_delivery (
    id              UUID PRIMARY KEY,
    export_id       UUID          NOT NULL,
    alert_id        VARCHAR(64)   NOT NULL,
    change_kind     VARCHAR(16)   NOT NULL,
    attempts        INT           NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ   NOT NULL,
    last_error      VARCHAR(1000),
    created_at      TIMESTAMPTZ   NOT NULL
);
CREATE INDEX export_delivery_due_idx ON export_delivery (next_attempt_at, created_at);
CREATE INDEX export_delivery_export_idx ON export_delivery (export_id);
