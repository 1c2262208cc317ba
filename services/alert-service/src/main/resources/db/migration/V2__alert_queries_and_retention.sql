-- The kind of cluster an alert is about (AKS, EKS, GKE, OnPrem), for the resource-type filter.
ALTER TABLE alert ADD COLUMN resource_type VARCHAR(32);
UPDATE alert SET resource_type = COALESCE(resource_identifiers -> 0 ->> 'clusterKind', 'Unknown');
-- Severity as a rank, for sorting by severity.
ALTER TABLE alert ADD COLUMN severity_rank SMALLINT GENERATED ALWAYS AS (
    CASE severity WHEN 'High' THEN 4 WHEN 'Medium' THEN 3 WHEN 'Low' THEN 2 ELSE 1 END) STORED;
CREATE INDEX alert_status_idx ON alert (status, time_generated_utc DESC);
CREATE INDEX alert_severity_idx ON alert (severity_rank DESC, time_generated_utc DESC);
-- Retention purges by the end of an alert's activity.
CREATE INDEX alert_end_time_idx ON alert (end_time_utc);
