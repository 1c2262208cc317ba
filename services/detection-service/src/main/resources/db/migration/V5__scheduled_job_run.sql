-- When each scheduled job last started, on any replica (ScheduledJobs): the replicas' schedulers fire on their own
-- phases, and a run is claimed here so that the job runs about once per interval, not once per replica.
CREATE TABLE scheduled_job_run (
    job             VARCHAR(64) PRIMARY KEY,
    last_started_at TIMESTAMPTZ NOT NULL
);
