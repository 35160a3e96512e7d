package io.scoreboard.projections.scoreboard;

/**
 * Where a fold sends the history rows it produces, as it produces them: a rebuild writes them out
 * (they grow with events, so they are never kept in memory); a verification needs only the digest.
 */
public interface HistoryRows {

    HistoryRows DISCARD = new HistoryRows() {
        @Override
        public void board(BoardChangeRow row) {}

        @Override
        public void participant(ParticipantChangeRow row) {}

        @Override
        public void team(TeamChangeRow row) {}

        @Override
        public void event(BoardEventRow row) {}
    };

    void board(BoardChangeRow row);

    void participant(ParticipantChangeRow row);

    void team(TeamChangeRow row);

    void event(BoardEventRow row);
}
