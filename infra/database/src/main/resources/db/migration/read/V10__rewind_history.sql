-- A rewind (ScoreboardRewound, ADR 0044) changes scores too: its rows in participant_changes carry the change it
-- made to each participant's score (possibly 0, for one it only renamed, removed or brought back), so history,
-- score_changes and windows see it like any other score change.
ALTER TABLE participant_changes DROP CONSTRAINT participant_changes_delta_iff_score_event;
ALTER TABLE participant_changes ADD CONSTRAINT participant_changes_delta_iff_score_event
    CHECK ((event_type IN ('ScoreChanged', 'RoundRecorded', 'ScoreChangeUndone', 'ScoreboardRewound'))
           = (delta IS NOT NULL));
