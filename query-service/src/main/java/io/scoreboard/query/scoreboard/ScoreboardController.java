package io.scoreboard.query.scoreboard;

import io.scoreboard.query.web.BoardVersionTag;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import java.sql.SQLException;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.ServletWebRequest;

/**
 * The board and its ranking. Every answer is tagged with the board's version, so a client polling
 * an unchanged board gets a 304 without a body ({@link BoardVersionTag}). Whole-number parameters
 * arrive as text and are parsed by {@link QueryParameter}, so every bad value gets one kind of 400.
 */
@RestController
@RequestMapping("/api/v1/scoreboards")
class ScoreboardController {

    private final ScoreboardQueries queries;

    ScoreboardController(ScoreboardQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/{scoreboardId}")
    ResponseEntity<ScoreboardResponse> scoreboard(@PathVariable UUID scoreboardId,
                                                  @RequestParam(required = false) Long minPosition,
                                                  ServletWebRequest request) throws SQLException {
        var answer = queries.find(scoreboardId, minPosition);
        return BoardVersionTag.answer(request, answer.projectionPosition(), answer.result().version(),
                ScoreboardResponse.from(answer.result()));
    }

    @GetMapping("/{scoreboardId}/leaderboard")
    ResponseEntity<LeaderboardResponse> leaderboard(@PathVariable UUID scoreboardId,
                                                    @RequestParam(required = false) @Parameter(schema = @Schema(
                                                            type = "integer", minimum = QueryParameter.LIMIT_MIN,
                                                            maximum = QueryParameter.LIMIT_MAX,
                                                            defaultValue = QueryParameter.LIMIT_DEFAULT)) String limit,
                                                    @RequestParam(required = false) @Parameter(schema = @Schema(
                                                            type = "integer", minimum = QueryParameter.OFFSET_MIN,
                                                            defaultValue = QueryParameter.OFFSET_DEFAULT)) String offset,
                                                    @RequestParam(required = false) Long minPosition,
                                                    ServletWebRequest request) throws SQLException {
        int pageSize = (int) QueryParameter.LIMIT.parse(limit);
        long skipped = QueryParameter.OFFSET.parse(offset);
        var answer = queries.page(scoreboardId, pageSize, skipped, minPosition);
        return BoardVersionTag.answer(request, answer.projectionPosition(), answer.result().board().version(),
                LeaderboardResponse.from(answer.result(), pageSize, skipped));
    }

    @GetMapping("/{scoreboardId}/participants/{participantId}")
    ResponseEntity<ParticipantStandingResponse> participant(@PathVariable UUID scoreboardId,
                                                            @PathVariable UUID participantId,
                                                            @RequestParam(required = false) Long minPosition,
                                                            ServletWebRequest request) throws SQLException {
        var answer = queries.around(scoreboardId, participantId, 0, minPosition);
        return BoardVersionTag.answer(request, answer.projectionPosition(), answer.result().board().version(),
                ParticipantStandingResponse.from(answer.result()));
    }

    @GetMapping("/{scoreboardId}/participants/{participantId}/around")
    ResponseEntity<NeighboursResponse> around(@PathVariable UUID scoreboardId,
                                              @PathVariable UUID participantId,
                                              @RequestParam(required = false) @Parameter(schema = @Schema(
                                                      type = "integer", minimum = QueryParameter.RADIUS_MIN,
                                                      maximum = QueryParameter.RADIUS_MAX,
                                                      defaultValue = QueryParameter.RADIUS_DEFAULT)) String radius,
                                              @RequestParam(required = false) Long minPosition,
                                              ServletWebRequest request) throws SQLException {
        int neighbours = (int) QueryParameter.RADIUS.parse(radius);
        var answer = queries.around(scoreboardId, participantId, neighbours, minPosition);
        return BoardVersionTag.answer(request, answer.projectionPosition(), answer.result().board().version(),
                NeighboursResponse.from(answer.result(), participantId));
    }
}
