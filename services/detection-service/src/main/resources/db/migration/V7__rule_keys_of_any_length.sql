-- A node alert's rule key is "falco:" + its alert type, derived from the Falco rule's name, which a team's own
-- rules choose freely: kept whole, whatever its length (found by the fuzz test: dead-lettered at 200 characters).
ALTER TABLE alert_correlation ALTER COLUMN rule_key TYPE TEXT;
