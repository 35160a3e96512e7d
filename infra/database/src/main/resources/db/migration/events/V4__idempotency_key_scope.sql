-- Idempotency-Key records are kept per scope (ADR 0014): the hash of the bearer token that sent the key
-- for a write to a board, 'create' for a board's creation (whose key must carry 128 random bits and is
-- its own credential). Before this a key was global, so a replay skipped authorisation.
--
-- Existing records: a creation's (its location is the board itself) moves to the 'create' scope and
-- stays replayable; any other was sent by a credential nobody recorded, so it goes to a scope no
-- credential has ('before-scopes'): a retry of it is a new request. Such records are at most the
-- retention (25 h) old and are purged as usual.

ALTER TABLE idempotency_keys ADD COLUMN scope VARCHAR(64);

UPDATE idempotency_keys
   SET scope = CASE WHEN response_location ~ '^/api/v1/scoreboards/[^/]+$' THEN 'create' ELSE 'before-scopes' END;

ALTER TABLE idempotency_keys ALTER COLUMN scope SET NOT NULL;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY (scope, idempotency_key);
