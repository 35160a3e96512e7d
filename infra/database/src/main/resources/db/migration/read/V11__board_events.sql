-- A board's own export of its whole history (GET …/events.ndjson, issue 17): each event as the export carries it,
-- the published envelope without token hashes, on one line (ExportedEvents). The query service streams these
-- lines in order of the board's sequence numbers; it never reads the event store. Rebuilt like every table here.
CREATE TABLE board_events (
    scoreboard_id   UUID   NOT NULL,
    sequence_number BIGINT NOT NULL,
    position        BIGINT NOT NULL,
    line            TEXT   NOT NULL,
    PRIMARY KEY (scoreboard_id, sequence_number)
);

REVOKE ALL ON board_events FROM PUBLIC;
GRANT SELECT, INSERT ON board_events TO ${app_role};
-- The lines hold no secret (no token hash): analysts may read them like the rest of the history.
GRANT SELECT ON board_events TO ${analyst_role};
