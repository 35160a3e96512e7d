-- Teams (issue 17, ADR 0046). A team's score is the sum of its current members' scores, computed at read time like
-- ranks; the tables keep only who is in which team and what the teams are called.
CREATE TABLE teams (
    scoreboard_id UUID    NOT NULL,
    team_id       UUID    NOT NULL,
    name          TEXT    NOT NULL,
    -- A removed team keeps its row (history, a rewind may bring it back) but is neither listed nor ranked.
    removed       BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (scoreboard_id, team_id)
);

-- The participant's team now (NULL: none). A team's removal sets its members' team_id to NULL.
ALTER TABLE participants ADD COLUMN team_id UUID;
-- The participant's team after the event, as every other column of the row: ?asOf= reads membership from here.
-- Rows written before teams existed keep NULL, which is what they meant (no participant had a team).
ALTER TABLE participant_changes ADD COLUMN team_id UUID;

-- Every change of a team (TeamCreated, TeamRenamed, TeamRemoved, ScoreboardRewound): the team after the event.
CREATE TABLE team_changes (
    scoreboard_id   UUID        NOT NULL,
    team_id         UUID        NOT NULL,
    sequence_number BIGINT      NOT NULL,
    position        BIGINT      NOT NULL,
    occurred_at     TIMESTAMPTZ NOT NULL,
    event_type      VARCHAR(64) NOT NULL,
    name            TEXT        NOT NULL,
    removed         BOOLEAN     NOT NULL,
    token_id        UUID,
    PRIMARY KEY (scoreboard_id, team_id, sequence_number)
);

REVOKE ALL ON teams, team_changes FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON teams TO ${app_role};
GRANT SELECT, INSERT ON team_changes TO ${app_role};

-- Analysts: team standings now, ranked with each board's rules (docs/analytics.md). ORDINAL ties go to the team whose
-- latest member change came first, then by name.
CREATE VIEW team_standings AS
SELECT ranked.scoreboard_id, ranked.board_name, ranked.score_order, ranked.ranking,
       ranked.team_id, ranked.team_name, ranked.members, ranked.score, ranked.rank
  FROM (SELECT totals.*,
               CASE totals.ranking
                   WHEN 'DENSE'   THEN dense_rank() OVER by_score
                   WHEN 'ORDINAL' THEN row_number() OVER by_score_then_first
                   ELSE rank() OVER by_score
               END AS rank
          FROM (SELECT t.scoreboard_id, s.name AS board_name, s.score_order, s.ranking,
                       t.team_id, t.name AS team_name,
                       count(p.participant_id) AS members,
                       COALESCE(sum(p.score), 0) AS score,
                       COALESCE(max(p.score_reached_position), 0) AS score_reached_position
                  FROM teams t
                  JOIN scoreboards s ON s.scoreboard_id = t.scoreboard_id AND NOT s.deleted
                  LEFT JOIN participants p ON p.scoreboard_id = t.scoreboard_id AND p.team_id = t.team_id
                                          AND NOT p.removed
                 WHERE NOT t.removed
                 GROUP BY t.scoreboard_id, s.name, s.score_order, s.ranking, t.team_id, t.name) totals
        WINDOW by_score AS (PARTITION BY totals.scoreboard_id
                            ORDER BY CASE WHEN totals.score_order = 'LOWEST_FIRST' THEN totals.score
                                          ELSE -totals.score END),
               by_score_then_first AS (PARTITION BY totals.scoreboard_id
                            ORDER BY CASE WHEN totals.score_order = 'LOWEST_FIRST' THEN totals.score
                                          ELSE -totals.score END,
                                     totals.score_reached_position, totals.team_name, totals.team_id)) ranked;

-- score_changes gains the team the participant was in when its score changed, named as it was then (as
-- participant_name is): its latest team_changes row up to the change (columns are only ever appended).
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
       t.label AS token_label,
       c.team_id,
       tm.name AS team_name
  FROM participant_changes c
  JOIN scoreboards s ON s.scoreboard_id = c.scoreboard_id
  LEFT JOIN board_changes undo ON undo.scoreboard_id = c.scoreboard_id
                              AND undo.undoes_sequence_number = c.sequence_number
  LEFT JOIN board_tokens t ON t.scoreboard_id = c.scoreboard_id AND t.token_id = c.token_id
  LEFT JOIN LATERAL (SELECT tc.name FROM team_changes tc
                      WHERE tc.scoreboard_id = c.scoreboard_id AND tc.team_id = c.team_id
                        AND tc.sequence_number <= c.sequence_number
                      ORDER BY tc.sequence_number DESC LIMIT 1) tm ON TRUE
 WHERE c.delta IS NOT NULL;

REVOKE ALL ON team_standings FROM PUBLIC;
GRANT SELECT ON teams, team_changes, team_standings TO ${analyst_role};
