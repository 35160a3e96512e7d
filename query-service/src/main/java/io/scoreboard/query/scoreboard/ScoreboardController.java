package io.scoreboard.query.scoreboard;

import io.scoreboard.query.web.ProjectionPositionFilter;
import jakarta.servlet.http.HttpServletResponse;
import java.sql.SQLException;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/scoreboards")
class ScoreboardController {

    private final ScoreboardQueries queries;

    ScoreboardController(ScoreboardQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/{scoreboardId}")
    ScoreboardResponse scoreboard(@PathVariable UUID scoreboardId,
                                  @RequestParam(required = false) Long minPosition,
                                  HttpServletResponse response) throws SQLException {
        ScoreboardQueries.Answer answer = queries.find(scoreboardId, minPosition);
        // The filter stamped the position before any minPosition wait; state the one this board reflects.
        ProjectionPositionFilter.stamp(response, answer.projectionPosition());
        return ScoreboardResponse.from(answer.view());
    }
}
