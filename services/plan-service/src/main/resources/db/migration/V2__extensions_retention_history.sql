-- Extensions of a plan ({"name": ..., "isEnabled": ...}) and, for Containers, the audit-log retention.
ALTER TABLE plan ADD COLUMN extensions JSONB NOT NULL DEFAULT '{}';
ALTER TABLE plan ADD COLUMN audit_log_retention_days INT;

-- Every change of a plan: who, when, from what to what.
CREATE TABLE plan_change (
    id          BIGSERIAL PRIMARY KEY,
    scope_id    UUID         NOT NULL,
    plan        VARCHAR(32)  NOT NULL,
    changed_by  VARCHAR(200) NOT NULL,
    changed_at  TIMESTAMPTZ  NOT NULL,
    from_tier   VARCHAR(16)  NOT NULL,
    to_tier     VARCHAR(16)  NOT NULL,
    changes     VARCHAR(2000) NOT NULL
);
CREATE INDEX plan_change_scope_idx ON plan_change (scope_id, changed_at DESC, id DESC);
