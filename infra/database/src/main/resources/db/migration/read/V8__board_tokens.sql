-- Who wrote what (issue 17, ADR 0042): every event a token writes names it (tokenId); the history keeps that
-- id on its rows, and board_tokens says whose token it is (kind, label). Events written before tokens were
-- recorded name none: their rows keep token_id NULL, nothing is invented for them.
ALTER TABLE board_changes ADD COLUMN token_id UUID;
ALTER TABLE participant_changes ADD COLUMN token_id UUID;

-- A board's tokens: the first two from its ScoreboardCreated event (ids derived from the board id), the rest
-- from TokenIssued; TokenRevoked sets revoked_at. token_hash (SHA-256 of the secret, as the events carry it)
-- lets the query service open a private board's reads (ADR 0041); it is the one column analysts do not get.
CREATE TABLE board_tokens (
    scoreboard_id UUID        NOT NULL,
    token_id      UUID        NOT NULL,
    kind          VARCHAR(16) NOT NULL,
    label         TEXT        NOT NULL,
    token_hash    VARCHAR(64) NOT NULL,
    issued_at     TIMESTAMPTZ NOT NULL,
    revoked_at    TIMESTAMPTZ,
    PRIMARY KEY (scoreboard_id, token_id)
);

REVOKE ALL ON board_tokens FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON board_tokens TO ${app_role};
GRANT SELECT (scoreboard_id, token_id, kind, label, issued_at, revoked_at) ON board_tokens TO ${analyst_role};

-- score_changes gains who made each change (columns may only be added at the end of a view).
CREATE OR REPLACE VIEW score_changes AS
SELECT c.scoreboard_id, s.name AS board_name, s.deleted AS board_deleted,
       c.participant_id, c.name AS participant_name,
       c.event_type AS type, c.delta, c.score AS score_after, c.reason,
       c.occurred_at, c.position, c.sequence_number,
       undo.sequence_number IS NOT NULL AS undone,
       undo.sequence_number AS undone_by_sequence_number,
       CASE WHEN c.event_type = 'ScoreChangeUndone' THEN
           (SELECT b.undoes_sequence_number FROM board_changes b
             WHERE b.scoreboard_id = c.scoreboard_id AND b.sequence_number = c.sequence_number)
       END AS undoes_sequence_number,
       c.token_id,
       t.label AS token_label
  FROM participant_changes c
  JOIN scoreboards s ON s.scoreboard_id = c.scoreboard_id
  LEFT JOIN board_changes undo ON undo.scoreboard_id = c.scoreboard_id
                              AND undo.undoes_sequence_number = c.sequence_number
  LEFT JOIN board_tokens t ON t.scoreboard_id = c.scoreboard_id AND t.token_id = c.token_id
 WHERE c.delta IS NOT NULL;
