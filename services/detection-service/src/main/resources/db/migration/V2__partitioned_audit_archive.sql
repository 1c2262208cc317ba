-- The audit archive, partitioned by day of event_time (UTC): a query over a time range reads only the days it
-- covers, and retention drops whole days instead of deleting row by row. ArchivePartitions (Java) creates the
-- coming days and drops expired ones; an event for a day without a partition lands in the DEFAULT partition.
-- A primary key of a partitioned table must contain the partition key, so event_time joins it; the archiver's
-- ON CONFLICT DO NOTHING on that key keeps a redelivered event stored once (its event_time is part of the event).
ALTER TABLE audit_event_archive RENAME TO audit_event_archive_v1;
ALTER INDEX audit_event_archive_pkey RENAME TO audit_event_archive_v1_pkey;
DROP INDEX audit_event_archive_time_idx;
DROP INDEX audit_event_archive_connector_idx;

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
    PRIMARY KEY (cluster_id, audit_id, stage, event_time)
) PARTITION BY RANGE (event_time);

CREATE TABLE audit_event_archive_default PARTITION OF audit_event_archive DEFAULT;

-- Every query names a cluster (or a connector) and a time range, newest first; the filters most used to narrow it
-- (who, what kind of object, where) get their own index. The verb has too few values to be worth one.
CREATE INDEX audit_event_archive_cluster_time_idx ON audit_event_archive (cluster_id, event_time);
CREATE INDEX audit_event_archive_connector_time_idx ON audit_event_archive (connector_id, event_time);
CREATE INDEX audit_event_archive_user_idx ON audit_event_archive (cluster_id, username, event_time);
CREATE INDEX audit_event_archive_resource_idx ON audit_event_archive (cluster_id, resource, event_time);
CREATE INDEX audit_event_archive_namespace_idx ON audit_event_archive (cluster_id, namespace, event_time);

-- Days that already hold events (within the longest retention), and yesterday to three days ahead. Bounds are
-- written with an explicit UTC offset so they do not depend on the session's time zone or date style.
DO $$
DECLARE
    day DATE;
BEGIN
    FOR day IN
        SELECT DISTINCT (event_time AT TIME ZONE 'UTC')::date FROM audit_event_archive_v1
            WHERE event_time >= now() - INTERVAL '365 days' AND event_time < now() + INTERVAL '4 days'
        UNION
        SELECT d::date FROM generate_series((now() AT TIME ZONE 'UTC')::date - 1,
            (now() AT TIME ZONE 'UTC')::date + 3, INTERVAL '1 day') AS d
    LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF audit_event_archive FOR VALUES FROM (%L) TO (%L)',
            'audit_event_archive_p' || to_char(day, 'YYYYMMDD'),
            to_char(day, 'YYYY-MM-DD') || ' 00:00:00+00', to_char(day + 1, 'YYYY-MM-DD') || ' 00:00:00+00');
    END LOOP;
END $$;

INSERT INTO audit_event_archive (cluster_id, audit_id, stage, connector_id, verb, resource, namespace, name, username,
        event_time, received_at, event)
    SELECT cluster_id, audit_id, stage, connector_id, verb, resource, namespace, name, username, event_time,
        received_at, event
    FROM audit_event_archive_v1;
DROP TABLE audit_event_archive_v1;

-- Days a scope's archived audit events are kept, from its protecting plan; null means the configured default (30).
ALTER TABLE scope_protection ADD COLUMN retention_days INTEGER;
