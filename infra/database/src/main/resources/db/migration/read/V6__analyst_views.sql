-- Views for analysts (docs/analytics.md). They live in the read model's own schema and are created by
-- this migration, so every copy of the model has them: a rebuild migrates a fresh schema and renames
-- it, and the views move with their tables (a view binds to its tables, not to their names).
-- Every name below is unqualified on purpose: it resolves in the schema being migrated.
--
-- ${analyst_role} may read, never write: USAGE on the schema and SELECT on the views and tables.
-- It gets nothing in the event store (DatabaseBootstrap gives it no CONNECT there).

-- Every current participant of every board that is not deleted, ranked as the query API ranks them
-- (ScoreboardReader): STANDARD = rank() ("1224"), DENSE = dense_rank() ("1223"), ORDINAL =
-- row_number() with a tie going to whoever reached the score first, then to the lower participant id
-- ("1234"). The sort key negates the score for HIGHEST_FIRST (exact for numeric). place is the
-- position in the API's listing (rank, then name, then id). Every window is partitioned by the board
-- only, so PostgreSQL pushes "WHERE scoreboard_id = …" below them and reads one board by index.
CREATE VIEW leaderboard AS
SELECT ranked.scoreboard_id, ranked.board_name, ranked.score_order, ranked.ranking,
       ranked.participant_id, ranked.participant_name, ranked.score, ranked.rank,
       row_number() OVER (PARTITION BY ranked.scoreboard_id
                          ORDER BY ranked.rank, ranked.participant_name, ranked.participant_id) AS place,
       ranked.score_reached_position
  FROM (SELECT p.scoreboard_id, s.name AS board_name, s.score_order, s.ranking,
               p.participant_id, p.name AS participant_name, p.score, p.score_reached_position,
               CASE s.ranking
                   WHEN 'DENSE'   THEN dense_rank() OVER by_score
                   WHEN 'ORDINAL' THEN row_number() OVER by_score_then_first
                   ELSE rank() OVER by_score
               END AS rank
          FROM scoreboards s
          JOIN participants p ON p.scoreboard_id = s.scoreboard_id AND NOT p.removed
         WHERE NOT s.deleted
        WINDOW by_score AS (PARTITION BY p.scoreboard_id
                            ORDER BY CASE WHEN s.score_order = 'LOWEST_FIRST' THEN p.score ELSE -p.score END),
               by_score_then_first AS (PARTITION BY p.scoreboard_id
                            ORDER BY CASE WHEN s.score_order = 'LOWEST_FIRST' THEN p.score ELSE -p.score END,
                                     p.score_reached_position, p.participant_id)) ranked;

-- Every score change (ScoreChanged, each participant of a RoundRecorded, each participant of a
-- ScoreChangeUndone) with the participant's name at the time and the board's current name. A score
-- change or round that a later ScoreChangeUndone reverted is undone; the undo's own rows are
-- score changes too (type ScoreChangeUndone, undoes_sequence_number names what they revert).
-- Deleted boards are included (board_deleted): their history happened.
CREATE VIEW score_changes AS
SELECT c.scoreboard_id, s.name AS board_name, s.deleted AS board_deleted,
       c.participant_id, c.name AS participant_name,
       c.event_type AS type, c.delta, c.score AS score_after, c.reason,
       c.occurred_at, c.position, c.sequence_number,
       undo.sequence_number IS NOT NULL AS undone,
       undo.sequence_number AS undone_by_sequence_number,
       -- Only undo rows look this up (CASE), and only when the column is selected.
       CASE WHEN c.event_type = 'ScoreChangeUndone' THEN
           (SELECT b.undoes_sequence_number FROM board_changes b
             WHERE b.scoreboard_id = c.scoreboard_id AND b.sequence_number = c.sequence_number)
       END AS undoes_sequence_number
  FROM participant_changes c
  JOIN scoreboards s ON s.scoreboard_id = c.scoreboard_id
  -- At most one undo per change: an undo reverts the latest change that is not undone yet.
  LEFT JOIN board_changes undo ON undo.scoreboard_id = c.scoreboard_id
                              AND undo.undoes_sequence_number = c.sequence_number
 WHERE c.delta IS NOT NULL;

-- Per UTC day and board, the scoring that stands: score changes that were later undone and the undo
-- rows themselves are left out, so a mistake and its correction cancel out instead of counting twice
-- (and points do not move to the day of the undo). points_removed is positive (the sum of the
-- negative deltas, negated). Raw activity, undos included, is in score_changes.
-- Written on the tables rather than on score_changes: NOT EXISTS lets the planner estimate the
-- anti-join, and the board's name is joined once per day and board instead of once per change.
CREATE VIEW daily_activity AS
SELECT d.day, d.scoreboard_id, s.name AS board_name, s.deleted AS board_deleted,
       d.score_changes, d.participants_changed, d.points_added, d.points_removed,
       d.first_change_at, d.last_change_at
  FROM (SELECT (c.occurred_at AT TIME ZONE 'UTC')::date AS day,
               c.scoreboard_id,
               count(*) AS score_changes,
               count(DISTINCT c.participant_id) AS participants_changed,
               COALESCE(sum(c.delta) FILTER (WHERE c.delta > 0), 0) AS points_added,
               COALESCE(-sum(c.delta) FILTER (WHERE c.delta < 0), 0) AS points_removed,
               min(c.occurred_at) AS first_change_at,
               max(c.occurred_at) AS last_change_at
          FROM participant_changes c
         WHERE c.delta IS NOT NULL
           AND c.event_type <> 'ScoreChangeUndone'
           AND NOT EXISTS (SELECT 1 FROM board_changes undo
                            WHERE undo.scoreboard_id = c.scoreboard_id
                              AND undo.undoes_sequence_number = c.sequence_number)
         GROUP BY 1, c.scoreboard_id) d
  JOIN scoreboards s ON s.scoreboard_id = d.scoreboard_id;

REVOKE ALL ON leaderboard, score_changes, daily_activity FROM PUBLIC;
GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO ${analyst_role};
-- Base tables too: docs/analytics.md describes them, and projection_checkpoints says how fresh the
-- model is. No INSERT/UPDATE/DELETE/TRUNCATE, and owning nothing, no DDL.
GRANT SELECT ON scoreboards, participants, board_changes, participant_changes, projection_checkpoints,
                leaderboard, score_changes, daily_activity TO ${analyst_role};
