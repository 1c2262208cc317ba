-- An alert's names come from the events that raised it (a Falco rule's name becomes the alert type of a node alert,
-- its display name and so on), and detection cuts them at 4 KiB, not at these columns' sizes: an alert with a long
-- name was refused here and dead-lettered. None of these columns is indexed.
ALTER TABLE alert
    ALTER COLUMN rule_id TYPE TEXT,
    ALTER COLUMN alert_type TYPE TEXT,
    ALTER COLUMN display_name TYPE TEXT,
    ALTER COLUMN intent TYPE TEXT,
    ALTER COLUMN compromised_entity TYPE TEXT,
    ALTER COLUMN correlation_key TYPE TEXT,
    ALTER COLUMN product_component_name TYPE TEXT;
