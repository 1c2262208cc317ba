-- Audit ids are kept as sent up to 128 characters and by digest ("sha256:<hex>", 71 characters) beyond:
-- the API server takes a client's Audit-ID header as it is, so ids longer than a UUID do occur.
ALTER TABLE audit_event_archive ALTER COLUMN audit_id TYPE VARCHAR(128);
ALTER TABLE baseline_operation ALTER COLUMN first_audit_id TYPE VARCHAR(128);
