-- Suppression rules (Defender's alertsSuppressionRules): alerts of a type whose entities match every condition are
-- dismissed on arrival. connector_id NULL means the rule covers every connector.
CREATE TABLE suppression_rule (
    id                  UUID PRIMARY KEY,
    name                VARCHAR(50)   NOT NULL,
    connector_id        UUID,
    alert_type          VARCHAR(128)  NOT NULL,
    conditions          JSONB         NOT NULL DEFAULT '[]',
    reason              VARCHAR(32)   NOT NULL,
    comment             VARCHAR(1000),
    expiration_date_utc TIMESTAMPTZ,
    enabled             BOOLEAN       NOT NULL,
    created_by          VARCHAR(200)  NOT NULL,
    created_at          TIMESTAMPTZ   NOT NULL,
    last_modified_by    VARCHAR(200)  NOT NULL,
    last_modified_at    TIMESTAMPTZ   NOT NULL,
    version             BIGINT        NOT NULL DEFAULT 0
);
-- a name is unique within its connector (or among the rules that cover every connector), whatever its case
CREATE UNIQUE INDEX suppression_rule_name_idx
    ON suppression_rule (COALESCE(connector_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name));
-- intake looks up the enabled rules of an alert's connector for every new alert
CREATE INDEX suppression_rule_intake_idx ON suppression_rule (enabled, connector_id);
