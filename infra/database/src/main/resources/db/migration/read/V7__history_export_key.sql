-- The history export reads a board's changes in chunks, each continuing after the last row sent by
-- (position, participant_id) (ScoreHistoryExport, docs/adr/0025). With the position alone indexed, every
-- chunk inside a round of 10,000 participants would read and sort the whole round again; with the
-- participant in the key each chunk is one index range. It serves every read the old index served.
CREATE INDEX participant_changes_board_position_participant
    ON participant_changes (scoreboard_id, position, participant_id);
DROP INDEX participant_changes_board_position;
