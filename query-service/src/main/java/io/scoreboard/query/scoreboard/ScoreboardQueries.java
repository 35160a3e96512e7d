package io.scoreboard.query.scoreboard;

import io.scoreboard.projections.scoreboard.BoardSlice;
import io.scoreboard.projections.scoreboard.HistoryPage;
import io.scoreboard.projections.scoreboard.ReadScope;
import io.scoreboard.projections.scoreboard.ScoreHistoryReader;
import io.scoreboard.projections.scoreboard.ScoreboardReader;
import io.scoreboard.projections.scoreboard.ScoreboardView;
import io.scoreboard.projections.scoreboard.TeamStandings;
import io.scoreboard.projections.scoreboard.TeamStandingsReader;
import io.scoreboard.query.projection.AppliedVersions;
import io.scoreboard.query.projection.ProjectionProgress;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.springframework.stereotype.Service;

/**
 * Reads a board, or part of its ranking, from the read model, first waiting for a requested
 * position when asked to. Every read goes through {@link #read}: the same read-your-writes wait,
 * the same 404 for an unknown, deleted or (without one of its tokens) private board.
 */
@Service
public class ScoreboardQueries {

    private final DataSource dataSource;
    private final ScoreboardReader reader = new ScoreboardReader();
    private final ScoreHistoryReader historyReader = new ScoreHistoryReader();
    private final TeamStandingsReader standingsReader = new TeamStandingsReader();
    private final ProjectionProgress progress;
    private final AppliedVersions appliedVersions;
    private final RankedBoards rankedBoards;
    private final PrivateBoards privateBoards;
    private final boolean cached;

    ScoreboardQueries(DataSource dataSource, ProjectionProgress progress, AppliedVersions appliedVersions,
                      RankingCacheProperties cache, PrivateBoards privateBoards) {
        this.dataSource = dataSource;
        this.privateBoards = privateBoards;
        this.progress = progress;
        this.appliedVersions = appliedVersions;
        this.rankedBoards = new RankedBoards(cache.maxParticipants());
        this.cached = cache.maxParticipants() > 0;
    }

    /**
     * What was read and the projection position it reflects at least.
     *
     * @param projectionPosition read after any wait and before the board, so the board is at or past it
     */
    public record Answer<T>(T result, long projectionPosition) {}

    @FunctionalInterface
    private interface BoardRead<T> {
        Optional<T> read(LazyConnection connection) throws SQLException;
    }

    /**
     * A read-model connection taken from the pool on first use: a read answered from memory (ADR 0028)
     * takes none.
     */
    private final class LazyConnection implements AutoCloseable {
        private Connection connection;

        Connection get() throws SQLException {
            if (connection == null) {
                connection = dataSource.getConnection();
            }
            return connection;
        }

        @Override
        public void close() throws SQLException {
            if (connection != null) {
                connection.close();
            }
        }
    }

    /** The board's own columns, no participants and nothing ranked: for answers about its history. */
    public Answer<ScoreboardView> header(UUID scoreboardId, Long minPosition) throws SQLException {
        return read(scoreboardId, minPosition, c -> reader.header(c.get(), scoreboardId), Function.identity());
    }

    /** A page of score changes, newest first, with the board they belong to. */
    public record History(ScoreboardView board, HistoryPage page) {}

    /** The board, ranked, as it stands at or after {@code minPosition} (null: as it stands now). */
    public Answer<ScoreboardView> find(UUID scoreboardId, Long minPosition) throws SQLException {
        return find(scoreboardId, ReadScope.NOW, minPosition);
    }

    /** The board in {@code scope} (now, as of an instant, a window), ranked. */
    public Answer<ScoreboardView> find(UUID scoreboardId, ReadScope scope, Long minPosition) throws SQLException {
        if (keptRanking(scope)) {
            return read(scoreboardId, minPosition,
                    c -> ranked(c, scoreboardId, minPosition).map(RankedBoards.RankedBoard::whole), Function.identity());
        }
        return read(scoreboardId, minPosition, c -> reader.find(c.get(), scoreboardId, scope), Function.identity());
    }

    /**
     * The board's team standings in {@code scope} (ADR 0046): ranked in SQL each time, in one statement, like
     * as-of and window reads (a board's teams are few; its members are ranked with the board's own ranking).
     */
    public Answer<TeamStandings> teams(UUID scoreboardId, ReadScope scope, Long minPosition) throws SQLException {
        return read(scoreboardId, minPosition, c -> standingsReader.find(c.get(), scoreboardId, scope),
                TeamStandings::board);
    }

    /** A page of the board's ranking, ranks over the whole board. */
    public Answer<BoardSlice> page(UUID scoreboardId, int limit, long offset, Long minPosition) throws SQLException {
        return page(scoreboardId, limit, offset, ReadScope.NOW, minPosition);
    }

    /** A page of the board's ranking in {@code scope}. */
    public Answer<BoardSlice> page(UUID scoreboardId, int limit, long offset, ReadScope scope, Long minPosition)
            throws SQLException {
        if (keptRanking(scope)) {
            return read(scoreboardId, minPosition,
                    c -> ranked(c, scoreboardId, minPosition).map(b -> b.page(limit, offset)), BoardSlice::board);
        }
        return read(scoreboardId, minPosition, c -> reader.findPage(c.get(), scoreboardId, limit, offset, scope),
                BoardSlice::board);
    }

    /**
     * The first {@code limit} places of the board as it stands now, as the bytes {@code write} makes of them:
     * written once per board version and page size while the board is kept ranked, so an unchanged board's
     * leaderboard is read from memory and sent as it is (issue 14). The version comes with it for the ETag.
     */
    public Answer<WrittenAnswer> firstPage(UUID scoreboardId, int limit, Long minPosition,
                                           Function<BoardSlice, byte[]> write) throws SQLException {
        if (!cached) {
            Answer<BoardSlice> page = page(scoreboardId, limit, 0, minPosition);
            return new Answer<>(new WrittenAnswer(page.result().board().version(), write.apply(page.result())),
                    page.projectionPosition());
        }
        Answer<RankedBoards.RankedBoard> board = read(scoreboardId, minPosition,
                c -> ranked(c, scoreboardId, minPosition), RankedBoards.RankedBoard::whole);
        return new Answer<>(new WrittenAnswer(board.result().whole().version(),
                board.result().firstPage(limit, write)), board.projectionPosition());
    }

    /** An answer already written, and the board version it shows. */
    public record WrittenAnswer(long version, byte[] bytes) {}

    /**
     * Score changes below position {@code before}, newest first, of one participant (404 when it was
     * never on the board; a removed one keeps its history) or of all ({@code participantId} null).
     */
    public Answer<History> history(UUID scoreboardId, UUID participantId, int limit, long before, Long minPosition)
            throws SQLException {
        Answer<History> answer = read(scoreboardId, minPosition, lazy -> {
            Connection c = lazy.get();
            Optional<ScoreboardView> board = reader.header(c, scoreboardId);
            if (board.isEmpty() || board.get().deleted()
                    || participantId != null && !historyReader.everOnBoard(c, scoreboardId, participantId)) {
                return board.map(b -> new History(b, null));
            }
            return Optional.of(new History(board.get(),
                    historyReader.page(c, scoreboardId, participantId, limit, before)));
        }, History::board);
        if (answer.result().page() == null) {
            throw new ParticipantNotFoundException(scoreboardId, participantId, answer.projectionPosition());
        }
        return answer;
    }

    /**
     * The participant and up to {@code radius} neighbours on each side in rank order; 404 when the
     * board has no such current participant.
     */
    public Answer<BoardSlice> around(UUID scoreboardId, UUID participantId, int radius, Long minPosition)
            throws SQLException {
        return around(scoreboardId, participantId, radius, ReadScope.NOW, minPosition);
    }

    /** The participant's neighbourhood in {@code scope}; 404 when it is not a current participant there. */
    public Answer<BoardSlice> around(UUID scoreboardId, UUID participantId, int radius, ReadScope scope,
                                     Long minPosition) throws SQLException {
        Answer<BoardSlice> answer = keptRanking(scope)
                ? read(scoreboardId, minPosition,
                        c -> ranked(c, scoreboardId, minPosition).map(b -> b.around(participantId, radius)),
                        BoardSlice::board)
                : read(scoreboardId, minPosition,
                        c -> reader.findAround(c.get(), scoreboardId, participantId, radius, scope), BoardSlice::board);
        if (answer.result().board().participants().isEmpty()) {
            throw new ParticipantNotFoundException(scoreboardId, participantId, answer.projectionPosition());
        }
        return answer;
    }

    /** Only the board as it stands now is kept ranked; as-of and window reads are ranked in SQL each time. */
    private boolean keptRanking(ReadScope scope) {
        return cached && scope instanceof ReadScope.Now;
    }

    /**
     * The whole board as the ranking SQL ranks it, from memory when the board's version has not moved
     * since it was last ranked, else ranked now and kept. The version comes from the projection runner's
     * memory when it applied the board since it was positioned (ADR 0028: no database at all), else from a
     * primary-key lookup. A read with minPosition always looks it up: its wait ended on what the database
     * holds, which the runner's memory may learn a moment after its commit.
     */
    private Optional<RankedBoards.RankedBoard> ranked(LazyConnection connection, UUID scoreboardId, Long minPosition)
            throws SQLException {
        if (minPosition == null) {
            OptionalLong applied = appliedVersions.version(scoreboardId);
            if (applied.isPresent()) {
                Optional<RankedBoards.RankedBoard> held = rankedBoards.get(scoreboardId, applied.getAsLong());
                if (held.isPresent()) {
                    return held;
                }
            }
        }
        OptionalLong version = reader.version(connection.get(), scoreboardId);
        if (version.isEmpty()) {
            return Optional.empty();
        }
        Optional<RankedBoards.RankedBoard> held = rankedBoards.get(scoreboardId, version.getAsLong());
        if (held.isPresent()) {
            return held;
        }
        return reader.find(connection.get(), scoreboardId, ReadScope.NOW).map(rankedBoards::put);
    }

    private <T> Answer<T> read(UUID scoreboardId, Long minPosition, BoardRead<T> read,
                               Function<T, ScoreboardView> boardOf) throws SQLException {
        if (minPosition != null) {
            if (minPosition < 0) {
                throw new InvalidQueryParameterException("minPosition must be a position from a command "
                        + "response (a whole number >= 0), got " + minPosition);
            }
            progress.awaitMinPosition(minPosition,
                    c -> reader.lastPosition(c, scoreboardId).orElse(-1) >= minPosition);
        }
        // After a wait, the position read afresh (at least minPosition); otherwise a recent reading will do.
        long projectionPosition = minPosition != null ? progress.appliedPosition() : progress.recentAppliedPosition();
        T result;
        try (LazyConnection connection = new LazyConnection()) {
            result = read.read(connection)
                    .orElseThrow(() -> new ScoreboardNotFoundException(scoreboardId, "does not exist",
                            projectionPosition));
        }
        if (boardOf.apply(result).deleted()) {
            // The contract (docs/api.md): a deleted board answers 404 on the query API; its history stays in the store.
            throw new ScoreboardNotFoundException(scoreboardId, "has been deleted", projectionPosition);
        }
        // A private board without one of its tokens: the same 404 as for a board that does not exist (ADR 0041).
        privateBoards.requireReadable(scoreboardId, boardOf.apply(result).version(), projectionPosition);
        return new Answer<>(result, projectionPosition);
    }
}
