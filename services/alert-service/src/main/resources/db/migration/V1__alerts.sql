CREATE TABLE alert (
    id                     VARCHAR(64) PRIMARY KEY,
    connector_id           UUID         NOT NULL,
    cluster_id             UUID         NOT NULL,
    rule_id                VARCHAR(128),
    alert_type             VARCHAR(128) NOT NULL,
    display_name           VARCHAR(512) NOT NULL,
    description            TEXT         NOT NULL,
    severity               VARCHAR(16)  NOT NULL,
    intent                 VARCHAR(256),
    techniques             JSONB,
    compromised_entity     VARCHAR(512),
    entities               JSONB,
    remediation_steps      JSONB,
    resource_identifiers   JSONB,
    extended_properties    JSONB,
    supporting_evidence    JSONB,
    correlation_key        VARCHAR(512),
    product_component_name VARCHAR(64),
    start_time_utc         TIMESTAMPTZ  NOT NULL,
    end_time_utc           TIMESTAMPTZ  NOT NULL,
    time_generated_utc     TIMESTAMPTZ  NOT NULL,
    status                 VARCHAR(16)  NOT NULL
);
CREATE INDEX alert_time_idx ON alert (time_generated_utc DESC, id);
CREATE INDEX alert_connector_idx ON alert (connector_id, time_generated_utc DESC);
CREATE INDEX alert_cluster_idx ON alert (cluster_id);

CREATE TABLE alert_state_change (
    id          BIGSERIAL PRIMARY KEY,
    alert_id    VARCHAR(64)  NOT NULL REFERENCES alert (id) ON DELETE CASCADE,
    from_status VARCHAR(16)  NOT NULL,
    to_status   VARCHAR(16)  NOT NULL,
    changed_by  VARCHAR(200) NOT NULL,
    changed_at  TIMESTAMPTZ  NOT NULL,
    comment     VARCHAR(2000)
);
CREATE INDEX alert_state_change_alert_idx ON alert_state_change (alert_id, changed_at);
