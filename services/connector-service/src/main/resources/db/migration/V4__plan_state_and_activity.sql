-- From palisade.plans: whether a connector collects audit logs (a protecting plan with AuditLogCollection on).
CREATE TABLE scope_plan_state (
    scope_id            UUID PRIMARY KEY,
    protected_since     TIMESTAMPTZ,
    collects_audit_logs BOOLEAN NOT NULL
);

-- From palisade.cluster-activity: when detection last accepted audit events from a cluster.
CREATE TABLE cluster_activity (
    cluster_id          UUID PRIMARY KEY,
    connector_id        UUID NOT NULL,
    last_audit_event_at TIMESTAMPTZ
);
