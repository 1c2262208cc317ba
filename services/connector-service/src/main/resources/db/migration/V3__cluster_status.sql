-- What connector-service last saw of a cluster through its Kubernetes API.
CREATE TABLE cluster_status (
    cluster_id         UUID PRIMARY KEY REFERENCES cluster (id) ON DELETE CASCADE,
    connector_id       UUID         NOT NULL,
    connectivity       VARCHAR(16)  NOT NULL,
    reason             VARCHAR(1000),
    last_checked_at    TIMESTAMPTZ  NOT NULL,
    last_seen_at       TIMESTAMPTZ,
    kubernetes_version VARCHAR(64),
    nodes              INT,
    namespaces         INT,
    workloads          JSONB,
    sensor_installed   BOOLEAN,
    sensor_desired     INT,
    sensor_ready       INT,
    sensor_image       VARCHAR(512)
);
