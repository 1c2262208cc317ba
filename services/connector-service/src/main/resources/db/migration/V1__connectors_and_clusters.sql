CREATE TABLE connector (
    id                   UUID PRIMARY KEY,
    environment          VARCHAR(32)  NOT NULL,
    display_name         VARCHAR(200) NOT NULL,
    hierarchy_identifier VARCHAR(100),
    created_by           VARCHAR(200) NOT NULL,
    created_at           TIMESTAMPTZ  NOT NULL,
    last_modified_by     VARCHAR(200) NOT NULL,
    last_modified_at     TIMESTAMPTZ  NOT NULL,
    version              BIGINT       NOT NULL DEFAULT 0
);

CREATE TABLE cluster (
    id                UUID PRIMARY KEY,
    connector_id      UUID         NOT NULL REFERENCES connector (id) ON DELETE CASCADE,
    name              VARCHAR(200) NOT NULL,
    kind              VARCHAR(16)  NOT NULL,
    region            VARCHAR(64),
    ingest_token_hash CHAR(64)     NOT NULL UNIQUE,
    created_by        VARCHAR(200) NOT NULL,
    created_at        TIMESTAMPTZ  NOT NULL,
    CONSTRAINT cluster_name_unique_per_connector UNIQUE (connector_id, name)
);

CREATE INDEX cluster_connector_idx ON cluster (connector_id);
