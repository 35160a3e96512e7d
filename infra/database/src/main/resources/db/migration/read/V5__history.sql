-- The read side's own history: what each board and each participant looked like after every event
-- that changed it. The query service answers /history, ?asOf= and windowed leaderboards from these
-- two tables alone (it never reads the event store), and a rebuild or `verify` recomputes them from
-- the events like every other table here. Both are append-only: an event adds rows, nothing changes
-- a row afterwards (an undo is a row of its own, see undoes_sequence_number).
--
-- The state at an instant T of a board: its events stop at the first one that occurred after T (the
-- rule of `rebuild --until`, so a clock step cannot make a later event look earlier); the board is
-- then its last board_changes row before that, each participant its last participant_changes row.

-- One row per event that changes the board itself: creation, rename, ranking rules, delete,
-- restore, and every undo (also one that reverts nothing still on the board). Each row holds the
-- board's columns as they were after the event.
CREATE TABLE board_changes (
    scoreboard_id           UUID        NOT NULL,
    sequence_number         BIGINT      NOT NULL,
    position                BIGINT      NOT NULL,
    occurred_at             TIMESTAMPTZ NOT NULL,
    -- The event's type name: ScoreboardCreated, ScoreboardRenamed, RankingRulesChanged,
    -- ScoreboardDeleted, ScoreboardRestored, ScoreChangeUndone.
    event_type              VARCHAR(64) NOT NULL,
    name                    TEXT        NOT NULL,
    score_order             VARCHAR(16) NOT NULL,
    ranking                 VARCHAR(16) NOT NULL,
    deleted                 BOOLEAN     NOT NULL,
    -- ScoreChangeUndone only: the sequence number of the score change or round it reverts. Every
    -- participant_changes row with that sequence number is "undone".
    undoes_sequence_number  BIGINT,
    PRIMARY KEY (scoreboard_id, sequence_number),
    CONSTRAINT board_changes_undo_names_its_change
        CHECK ((event_type = 'ScoreChangeUndone') = (undoes_sequence_number IS NOT NULL))
);

CREATE INDEX board_changes_undone ON board_changes (scoreboard_id, undoes_sequence_number)
    WHERE undoes_sequence_number IS NOT NULL;

-- One row per participant per event that changes it: added, renamed, removed, and every score
-- change (ScoreChanged, each participant of a RoundRecorded or a ScoreChangeUndone). Each row holds
-- the participant's columns as they were after the event.
CREATE TABLE participant_changes (
    scoreboard_id           UUID           NOT NULL,
    participant_id          UUID           NOT NULL,
    sequence_number         BIGINT         NOT NULL,
    position                BIGINT         NOT NULL,
    occurred_at             TIMESTAMPTZ    NOT NULL,
    -- ParticipantAdded, ParticipantRenamed, ParticipantRemoved, ScoreChanged, RoundRecorded,
    -- ScoreChangeUndone.
    event_type              VARCHAR(64)    NOT NULL,
    -- The score change; NULL for an event that does not change scores. A delta spans two scores
    -- (each below 10^15 in magnitude), hence one more integer digit than a score.
    delta                   NUMERIC(20, 4),
    -- The ScoreChanged reason or the round's comment; NULL when none was given.
    reason                  TEXT,
    -- The participant after the event, as in the participants table.
    name                    TEXT           NOT NULL,
    score                   NUMERIC(19, 4) NOT NULL,
    score_reached_position  BIGINT         NOT NULL,
    removed                 BOOLEAN        NOT NULL,
    PRIMARY KEY (scoreboard_id, participant_id, sequence_number),
    CONSTRAINT participant_changes_delta_iff_score_event
        CHECK ((event_type IN ('ScoreChanged', 'RoundRecorded', 'ScoreChangeUndone')) = (delta IS NOT NULL))
);

-- A board's history newest first, and "what happened between two instants" for windowed boards.
CREATE INDEX participant_changes_board_position ON participant_changes (scoreboard_id, position);
CREATE INDEX participant_changes_board_time ON participant_changes (scoreboard_id, occurred_at);

REVOKE ALL ON board_changes, participant_changes FROM PUBLIC;
GRANT SELECT, INSERT ON board_changes, participant_changes TO ${app_role};
