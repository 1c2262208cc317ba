-- Deliveries dropped without being delivered: after palisade.export.max-attempts failures, or at once on a
-- permanent failure (a webhook 4xx other than 408/429, a UDP record too large for a datagram).
ALTER TABLE alert_export ADD COLUMN failed_count BIGINT NOT NULL DEFAULT 0;
