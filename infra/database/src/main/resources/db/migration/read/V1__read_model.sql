-- The read model: projections of the event stream, and where each projection stands in the
-- Kafka topic. Everything here can be rebuilt from events, so it holds no history of its own.
-- Owned by ${owner_role}; the services connect as ${app_role} (data rights only, no DDL).
-- Analysts query these tables with SQL: names are plain snake_case and every column says what it is.

CREATE TABLE scoreboards (
    scoreboard_id  UUID        PRIMARY KEY,
    name           TEXT        NOT NULL,
    score_order    VARCHAR(16) NOT NULL
        CONSTRAINT scoreboards_score_order_known CHECK (score_order IN ('HIGHEST_FIRST', 'LOWEST_FIRST')),
    ranking        VARCHAR(16) NOT NULL
        CONSTRAINT scoreboards_ranking_known CHECK (ranking IN ('STANDARD', 'DENSE', 'ORDINAL')),
    -- Soft delete: the board stays (its history is in the event store) but the query API hides it.
    deleted        BOOLEAN     NOT NULL DEFAULT FALSE,
    -- Sequence number of the last event applied to this board; an event at or below it is a
    -- duplicate delivery and is skipped (idempotent projection).
    version        BIGINT      NOT NULL,
    -- Highest global event-store position applied to this board (read-your-writes: minPosition).
    last_position  BIGINT      NOT NULL,
    -- Event times (occurred_at), not wall-clock times of the projection, so a rebuild gives
    -- the same rows.
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE participants (
    scoreboard_id          UUID          NOT NULL REFERENCES scoreboards (scoreboard_id) ON DELETE CASCADE,
    participant_id         UUID          NOT NULL,
    name                   TEXT          NOT NULL,
    -- Exact decimal: |score| < 10^15 with up to 4 fractional digits (SPEC), never a float.
    score                  NUMERIC(19, 4) NOT NULL DEFAULT 0,
    -- Global position of the event at which the participant reached its current score:
    -- ORDINAL ranking gives a tie to whoever got there first.
    score_reached_position BIGINT        NOT NULL,
    PRIMARY KEY (scoreboard_id, participant_id)
);

-- Ranking reads one board's participants ordered by score, then by who reached it first.
CREATE INDEX participants_board_score ON participants (scoreboard_id, score, score_reached_position);

-- Where each projection stands in each Kafka partition. Written in the same transaction as the
-- projection's changes, so a crash can never apply an event without moving the checkpoint (or
-- the other way round): exactly-once effect from at-least-once delivery. Kafka's own consumer
-- group offsets are never committed or trusted.
CREATE TABLE projection_checkpoints (
    projection_name  VARCHAR(100) NOT NULL,
    topic            VARCHAR(249) NOT NULL,
    kafka_partition  INTEGER      NOT NULL,
    -- The next offset to read in this partition (Kafka's "position").
    next_offset      BIGINT       NOT NULL,
    -- Highest global event position seen through this partition; positions arrive out of order
    -- (late commits), so this is a maximum, not "the last one".
    max_position     BIGINT       NOT NULL,
    updated_at       TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (projection_name, topic, kafka_partition)
);

REVOKE ALL ON scoreboards, participants, projection_checkpoints FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON scoreboards, participants, projection_checkpoints TO ${app_role};
