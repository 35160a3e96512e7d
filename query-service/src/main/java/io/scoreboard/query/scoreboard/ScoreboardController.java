package io.scoreboard.query.scoreboard;

import io.scoreboard.projections.scoreboard.ReadScope;
import io.scoreboard.query.web.BoardVersionTag;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import java.sql.SQLException;
import java.util.UUID;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.ServletWebRequest;

/**
 * The board and its ranking, now, as of an instant ({@code ?asOf=}) or over a window of time
 * ({@code ?from=&to=}), and its score history. Every answer is tagged with the board's version, so a client polling
 * an unchanged board gets a 304 without a body ({@link BoardVersionTag}). Whole-number parameters
 * arrive as text and are parsed by {@link QueryParameter}, so every bad value gets one kind of 400.
 */
@RestController
@RequestMapping("/api/v1/scoreboards")
class ScoreboardController {

    private final ScoreboardQueries queries;
    private final ObjectMapper json;

    ScoreboardController(ScoreboardQueries queries, ObjectMapper json) {
        this.queries = queries;
        this.json = json;
    }

    @GetMapping("/{scoreboardId}")
    ResponseEntity<ScoreboardResponse> scoreboard(@PathVariable UUID scoreboardId,
                                                  @RequestParam(required = false) @Parameter(description = ScopeParameters.AS_OF,
                                                          schema = @Schema(type = "string", format = "date-time"))
                                                  String asOf,
                                                  @RequestParam(required = false) Long minPosition,
                                                  ServletWebRequest request) throws SQLException {
        ReadScope scope = ScopeParameters.of(asOf);
        var answer = queries.find(scoreboardId, scope, minPosition);
        return BoardVersionTag.answer(request, answer.projectionPosition(), answer.result().version(),
                ScoreboardResponse.from(answer.result(), scope));
    }

    @GetMapping("/{scoreboardId}/leaderboard")
    @ApiResponse(responseCode = "200", description = "one page of the ranking",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = LeaderboardResponse.class)))
    ResponseEntity<?> leaderboard(@PathVariable UUID scoreboardId,
                                                    @RequestParam(required = false) @Parameter(schema = @Schema(
                                                            type = "integer", minimum = QueryParameter.LIMIT_MIN,
                                                            maximum = QueryParameter.LIMIT_MAX,
                                                            defaultValue = QueryParameter.LIMIT_DEFAULT)) String limit,
                                                    @RequestParam(required = false) @Parameter(schema = @Schema(
                                                            type = "integer", minimum = QueryParameter.OFFSET_MIN,
                                                            defaultValue = QueryParameter.OFFSET_DEFAULT)) String offset,
                                                    @ParameterObject ScopeParameters scopeParameters,
                                                    @RequestParam(required = false) Long minPosition,
                                                    ServletWebRequest request) throws SQLException {
        int pageSize = (int) QueryParameter.LIMIT.parse(limit);
        long skipped = QueryParameter.OFFSET.parse(offset);
        ReadScope scope = scopeParameters.scope();
        if (skipped == 0 && scope instanceof ReadScope.Now) {
            // the page every client polls: its JSON is kept per board version (RankedBoards.firstPage)
            var written = queries.firstPage(scoreboardId, pageSize, minPosition,
                    page -> json(LeaderboardResponse.from(page, pageSize, 0, scope)));
            return BoardVersionTag.answerJson(request, written.projectionPosition(), written.result().version(),
                    written.result().bytes());
        }
        var answer = queries.page(scoreboardId, pageSize, skipped, scope, minPosition);
        return BoardVersionTag.answer(request, answer.projectionPosition(), answer.result().board().version(),
                LeaderboardResponse.from(answer.result(), pageSize, skipped, scope));
    }

    /** The answer as Spring MVC would write it: the application's own ObjectMapper. */
    private byte[] json(Object answer) {
        try {
            return json.writeValueAsBytes(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a leaderboard answer could not be written as JSON", e);
        }
    }

    @GetMapping("/{scoreboardId}/teams")
    @Operation(summary = "The board's team standings",
            description = "Its current teams ranked by score (the sum of their current members' scores) with the "
                    + "board's order and ranking rules; ORDINAL ties go to the team whose latest member reached its "
                    + "score first, then by name. A team without members scores 0. Members are listed in their "
                    + "order on the board. With asOf: teams, membership and scores as they stood then; with "
                    + "from/to: each current member's points in the window.")
    ResponseEntity<TeamStandingsResponse> teams(@PathVariable UUID scoreboardId,
                                                @ParameterObject ScopeParameters scopeParameters,
                                                @RequestParam(required = false) Long minPosition,
                                                ServletWebRequest request) throws SQLException {
        ReadScope scope = scopeParameters.scope();
        var answer = queries.teams(scoreboardId, scope, minPosition);
        return BoardVersionTag.answer(request, answer.projectionPosition(), answer.result().board().version(),
                TeamStandingsResponse.from(answer.result(), scope));
    }

    @GetMapping("/{scoreboardId}/history")
    ResponseEntity<HistoryResponse> history(@PathVariable UUID scoreboardId,
                                            @RequestParam(required = false) UUID participantId,
                                            @RequestParam(required = false) @Parameter(schema = @Schema(
                                                    type = "integer", minimum = QueryParameter.LIMIT_MIN,
                                                    maximum = QueryParameter.LIMIT_MAX,
                                                    defaultValue = QueryParameter.LIMIT_DEFAULT)) String limit,
                                            @RequestParam(required = false) @Parameter(description = "only changes "
                                                    + "below this event position: the nextBefore of the previous page",
                                                    schema = @Schema(type = "integer", format = "int64",
                                                            minimum = QueryParameter.BEFORE_MIN)) String before,
                                            @RequestParam(required = false) Long minPosition,
                                            ServletWebRequest request) throws SQLException {
        int pageSize = (int) QueryParameter.LIMIT.parse(limit);
        long below = QueryParameter.BEFORE.parse(before);
        var answer = queries.history(scoreboardId, participantId, pageSize, below, minPosition);
        return BoardVersionTag.answer(request, answer.projectionPosition(), answer.result().board().version(),
                HistoryResponse.from(answer.result(), participantId));
    }

    @GetMapping("/{scoreboardId}/participants/{participantId}")
    ResponseEntity<ParticipantStandingResponse> participant(@PathVariable UUID scoreboardId,
                                                            @PathVariable UUID participantId,
                                                            @ParameterObject ScopeParameters scopeParameters,
                                                            @RequestParam(required = false) Long minPosition,
                                                            ServletWebRequest request) throws SQLException {
        var answer = queries.around(scoreboardId, participantId, 0, scopeParameters.scope(), minPosition);
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
                                              @ParameterObject ScopeParameters scopeParameters,
                                              @RequestParam(required = false) Long minPosition,
                                              ServletWebRequest request) throws SQLException {
        int neighbours = (int) QueryParameter.RADIUS.parse(radius);
        var answer = queries.around(scoreboardId, participantId, neighbours, scopeParameters.scope(),
                minPosition);
        return BoardVersionTag.answer(request, answer.projectionPosition(), answer.result().board().version(),
                NeighboursResponse.from(answer.result(), participantId));
    }
}
