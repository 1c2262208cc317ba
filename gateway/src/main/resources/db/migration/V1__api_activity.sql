-- Who changed what through the gateway: every mutating /api call with its answer.
CREATE TABLE api_activity (
    id       BIGSERIAL PRIMARY KEY,
    at       TIMESTAMPTZ  NOT NULL,
    username VARCHAR(200) NOT NULL,
    method   VARCHAR(8)   NOT NULL,
    path     VARCHAR(2048) NOT NULL,
    status   INT          NOT NULL,
    service  VARCHAR(64)  NOT NULL
);
CREATE INDEX api_activity_at_idx ON api_activity (at DESC);
CREATE INDEX api_activity_user_idx ON api_activity (username, at DESC);
