-- Idempotency-Key records of the command API: the first successful response to a key, stored in the
-- same transaction as the events it appended, so a retry returns it and appends nothing, also
-- after a restart or a crash. Bodies are encrypted (they may hold a new board's access tokens).
-- Not history: rows older than the retention (24 h by default) are deleted by the service.

CREATE TABLE idempotency_keys (
    idempotency_key     VARCHAR(255) PRIMARY KEY,
    request_fingerprint CHAR(64)     NOT NULL,
    response_status     INTEGER      NOT NULL,
    response_location   VARCHAR(1024),
    scoreboard_id       UUID         NOT NULL,
    board_version       BIGINT       NOT NULL,
    event_position      BIGINT       NOT NULL,
    encrypted_body      BYTEA        NOT NULL,
    created_at          TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

REVOKE ALL ON idempotency_keys FROM PUBLIC;
GRANT SELECT, INSERT, DELETE ON idempotency_keys TO ${app_role};
