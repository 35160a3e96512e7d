package io.scoreboard.projections.scoreboard;

import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A board's team standings (ADR 0046), in the scopes the board is read in ({@link ReadScope}): now,
 * as of an instant (teams and membership from the history rows), or over a window (each current
 * member's points in it). One statement per read, built on {@link ScoreboardReader}'s ranking, so a
 * member's score and rank are exactly the board's.
 */
public final class TeamStandingsReader {

    /*
     * A team's score is the sum of its current members' scores in the scope (removed participants
     * are not in `placed`); a team without members has 0. Teams are ranked as participants are:
     * STANDARD rank(), DENSE dense_rank(), ORDINAL row_number() with ties going to the team whose
     * latest member reached its score first, then by name, then id. The board row is joined to every
     * (team, member) pair; a board without teams still answers, with one row of NULLs.
     * Parameters after the scope's: board id (ranked), board id (teams), board id (ranking), board id.
     */
    private static final String STANDINGS = ScoreboardReader.RANKED + """
            , team_totals AS (
                SELECT t.team_id, t.name AS team_name,
                       COALESCE(sum(m.score), 0) AS team_score,
                       COALESCE(max(m.score_reached_position), 0) AS team_reached_position
                  FROM {teams} t
                  LEFT JOIN placed m ON m.team_id = t.team_id
                 WHERE t.scoreboard_id = ? AND NOT t.removed
                 GROUP BY t.team_id, t.name
            ), teams_ranked AS (
                SELECT tt.*,
                       CASE s.ranking
                           WHEN 'DENSE'   THEN dense_rank() OVER by_score
                           WHEN 'ORDINAL' THEN row_number() OVER by_score_then_first
                           ELSE rank() OVER by_score
                       END AS team_rank
                  FROM {boards} s
                  JOIN team_totals tt ON TRUE
                 WHERE s.scoreboard_id = ?
                WINDOW by_score AS (ORDER BY CASE WHEN s.score_order = 'LOWEST_FIRST' THEN tt.team_score
                                                  ELSE -tt.team_score END),
                       by_score_then_first AS (
                           ORDER BY CASE WHEN s.score_order = 'LOWEST_FIRST' THEN tt.team_score ELSE -tt.team_score END,
                                    tt.team_reached_position, tt.team_name, tt.team_id)
            )
            SELECT s.scoreboard_id, s.name AS board_name, s.score_order, s.ranking, s.deleted, s.version,
                   s.last_position,
                   tr.team_id, tr.team_name, tr.team_score, tr.team_rank,
                   m.participant_id, m.participant_name, m.score, m.participant_rank
              FROM {boards} s
              LEFT JOIN teams_ranked tr ON TRUE
              LEFT JOIN placed m ON m.team_id = tr.team_id
             WHERE s.scoreboard_id = ?
             ORDER BY tr.team_rank, tr.team_name, tr.team_id, m.place""";

    /** The board's team standings in {@code scope}; empty when the board did not exist then (or is unknown). */
    public Optional<TeamStandings> find(Connection connection, UUID scoreboardId, ReadScope scope)
            throws SQLException {
        ScoreboardReader.Tables tables = ScoreboardReader.Tables.of(scope);
        try (PreparedStatement p = connection.prepareStatement(tables.shaped("teams", STANDINGS))) {
            int i = tables.bind(p, scoreboardId);
            p.setObject(i++, scoreboardId);
            p.setObject(i++, scoreboardId);
            p.setObject(i++, scoreboardId);
            p.setObject(i, scoreboardId);
            return read(p);
        }
    }

    private static Optional<TeamStandings> read(PreparedStatement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            ScoreboardView board = new ScoreboardView(rs.getObject("scoreboard_id", UUID.class),
                    rs.getString("board_name"), ScoreOrder.valueOf(rs.getString("score_order")),
                    Ranking.valueOf(rs.getString("ranking")), rs.getBoolean("deleted"), rs.getLong("version"),
                    rs.getLong("last_position"), List.of());
            List<RankedTeam> teams = new ArrayList<>();
            UUID teamId = null;
            String name = null;
            BigDecimal score = null;
            long rank = 0;
            List<RankedParticipant> members = new ArrayList<>();
            do {
                UUID rowTeam = rs.getObject("team_id", UUID.class);
                if (rowTeam == null) { // LEFT JOIN: the board has no teams
                    continue;
                }
                if (!rowTeam.equals(teamId)) {
                    if (teamId != null) {
                        teams.add(new RankedTeam(teamId, name, score, rank, members));
                    }
                    teamId = rowTeam;
                    name = rs.getString("team_name");
                    score = ScoreboardReader.exact(rs.getBigDecimal("team_score"));
                    rank = rs.getLong("team_rank");
                    members = new ArrayList<>();
                }
                UUID participantId = rs.getObject("participant_id", UUID.class);
                if (participantId != null) { // LEFT JOIN: a team without members
                    members.add(new RankedParticipant(participantId, rs.getString("participant_name"),
                            ScoreboardReader.exact(rs.getBigDecimal("score")), rs.getLong("participant_rank"),
                            teamId));
                }
            } while (rs.next());
            if (teamId != null) {
                teams.add(new RankedTeam(teamId, name, score, rank, members));
            }
            return Optional.of(new TeamStandings(board, teams));
        }
    }
}
