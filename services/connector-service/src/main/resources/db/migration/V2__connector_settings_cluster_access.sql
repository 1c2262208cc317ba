-- Connector regions and the Containers offering settings (Defender's DefenderForContainers offering).
ALTER TABLE connector ADD COLUMN regions JSONB NOT NULL DEFAULT '[]';
ALTER TABLE connector ADD COLUMN audit_log_auto_provisioning BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE connector ADD COLUMN sensor_auto_provisioning BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE connector ADD COLUMN agentless_discovery BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE connector ADD COLUMN policy_agent BOOLEAN NOT NULL DEFAULT TRUE;

-- Optional Kubernetes API access of a cluster: the server URL in clear (not secret), the credentials encrypted
-- (AES-GCM, key from configuration), and when the ingest token was last issued.
ALTER TABLE cluster ADD COLUMN kubernetes_api_server VARCHAR(2048);
ALTER TABLE cluster ADD COLUMN kubernetes_api_credentials TEXT;
ALTER TABLE cluster ADD COLUMN ingest_token_issued_at TIMESTAMPTZ;
UPDATE cluster SET ingest_token_issued_at = created_at;
ALTER TABLE cluster ALTER COLUMN ingest_token_issued_at SET NOT NULL;
ALTER TABLE cluster ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
