-- A board's tokens are in its first event (ScoreboardCreated) and in its token events (TokenIssued,
-- TokenRevoked, ADR 0042). The write path reads them before it takes a board's lock (ADR 0014), also for a
-- token it does not know yet; with only the (aggregate, sequence) index that read would scan the board's
-- whole history. This index holds the token events alone, a few rows per board.
CREATE INDEX domain_event_entry_board_tokens ON domain_event_entry (aggregate_identifier, sequence_number)
    WHERE payload_type IN ('TokenIssued', 'TokenRevoked');
