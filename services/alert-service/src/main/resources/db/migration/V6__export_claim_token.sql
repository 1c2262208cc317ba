-- Fencing of export deliveries: the dispatcher round that claims a row writes its own token here, and every later
-- write of that round (lease renewal, delete once delivered, retry, release) names the token, so a round whose lease
-- ran out, and whose row another replica then claimed, can no longer change or delete it.
ALTER TABLE export_delivery ADD COLUMN claim_token UUID;
