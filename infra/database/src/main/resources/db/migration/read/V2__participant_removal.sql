-- A removed participant (ParticipantRemoved) is no longer listed or ranked, but its row stays:
-- history and analytics still know who it was and what it scored. A later participant may reuse
-- its name (participant names are not unique in the read model).
-- Both columns come from the event: removed_at is its occurred_at, not the projection's clock.

ALTER TABLE participants
    ADD COLUMN removed    BOOLEAN     NOT NULL DEFAULT FALSE,
    ADD COLUMN removed_at TIMESTAMPTZ,
    ADD CONSTRAINT participants_removed_at_iff_removed CHECK (removed = (removed_at IS NOT NULL));

-- Ranking reads only the board's current participants: the partial index replaces V1's full one.
DROP INDEX participants_board_score;
CREATE INDEX participants_board_score_current ON participants (scoreboard_id, score, score_reached_position)
    WHERE NOT removed;
