package io.scoreboard.query.page;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The live board page, {@code GET /boards/{id}}: one static HTML document for every board; its script
 * ({@code static/board-page/board.js}) follows the board's live stream in the browser. Only the id's syntax is
 * checked here, so a mistyped link gets the API's 400 problem; whether the board exists the page learns from
 * the stream, and serving it reads no database (a wall of TVs may reload it all day).
 */
@Controller
class BoardPageController {

    private static final Resource PAGE = new ClassPathResource("board-page/board.html");
    private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);
    /**
     * Scripts, styles and the stream from this service only. No Referer leaves the page: its URL may carry
     * {@code ?token=}.
     */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'self'";

    @GetMapping("/boards/{scoreboardId}")
    ResponseEntity<Resource> page(@PathVariable UUID scoreboardId) {
        return ResponseEntity.ok()
                .contentType(HTML)
                // the same bytes for every board; revalidated, so a new release's page is picked up at once
                .cacheControl(CacheControl.noCache())
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff")
                .body(PAGE);
    }
}
