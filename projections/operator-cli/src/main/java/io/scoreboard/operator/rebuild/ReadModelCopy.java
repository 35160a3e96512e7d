package io.scoreboard.operator.rebuild;

import io.scoreboard.operator.cli.Progress;
import io.scoreboard.projections.scoreboard.BoardRow;
import io.scoreboard.projections.scoreboard.ParticipantRow;
import io.scoreboard.projections.scoreboard.ScoreboardRecomputation;
import io.scoreboard.projections.scoreboard.TokenRow;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Writes a folded read model into a (new, empty) read-model schema with COPY: boards, participants,
 * their tokens and teams (the history streams in during the fold, {@link HistoryStream}), instead of millions of single-row statements through the
 * live path.
 */
final class ReadModelCopy {

    private ReadModelCopy() {}

    /** Copies every board of {@code model} into {@code schema}; returns the number of participant rows. */
    static long write(Connection c, String schema, ScoreboardRecomputation model, Progress progress)
            throws SQLException {
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        try (CopyLines boards = CopyLines.into(copy.copyIn("COPY " + schema + ".scoreboards (scoreboard_id, name, "
                + "score_order, ranking, deleted, version, last_position, created_at, updated_at, visibility) "
                + "FROM STDIN (FORMAT csv)"))) {
            model.forEachBoard(b -> {
                boards.field(b.scoreboardId()).text(b.name()).field(b.scoreOrder()).field(b.ranking())
                        .field(b.deleted()).field(b.version()).field(b.lastPosition()).field(b.createdAt())
                        .field(b.updatedAt()).field(b.visibility()).endRow();
                progress.advance(1);
            });
        }
        long[] participants = {0};
        try (CopyLines rows = CopyLines.into(copy.copyIn("COPY " + schema + ".participants (scoreboard_id, participant_id, "
                + "name, score, score_reached_position, removed, removed_at, team_id) FROM STDIN (FORMAT csv)"))) {
            model.forEachBoard(b -> {
                for (ParticipantRow p : b.participants()) {
                    rows.field(b.scoreboardId()).field(p.participantId()).text(p.name())
                            .field(p.score().toPlainString()).field(p.scoreReachedPosition()).field(p.removed())
                            .field(p.removedAt()).field(p.teamId()).endRow();
                    participants[0]++;
                }
            });
        }
        try (CopyLines rows = CopyLines.into(copy.copyIn("COPY " + schema + ".board_tokens (scoreboard_id, token_id, "
                + "kind, label, token_hash, issued_at, revoked_at) FROM STDIN (FORMAT csv)"))) {
            model.forEachBoard(b -> {
                for (TokenRow t : b.tokens()) {
                    rows.field(b.scoreboardId()).field(t.tokenId()).field(t.kind()).text(t.label())
                            .field(t.tokenHash()).field(t.issuedAt()).field(t.revokedAt()).endRow();
                }
            });
        }
        // Straight from the fold's team maps, not through the boards' rows: boards without teams cost nothing.
        try (CopyLines rows = CopyLines.into(copy.copyIn("COPY " + schema + ".teams (scoreboard_id, team_id, name, "
                + "removed) FROM STDIN (FORMAT csv)"))) {
            model.forEachTeam((board, t) -> rows.field(board).field(t.teamId()).text(t.name())
                    .field(t.removed()).endRow());
        }
        return participants[0];
    }
}
