package io.scoreboard.command.web;

import io.scoreboard.httpedge.problem.HttpProblem;
import io.scoreboard.httpedge.problem.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses every request whose body is larger than {@code scoreboard.http.max-body-size} with
 * {@code 413 application/problem+json}, before any controller (and so any command) runs.
 *
 * <ul>
 *   <li>A declared {@code Content-Length} above the limit is refused without reading the body.</li>
 *   <li>A body of unknown length ({@code Transfer-Encoding: chunked}) is read here, at most one byte
 *       past the limit: over it, refused; within it, handed on from memory, so what the controller
 *       reads is exactly what was checked.</li>
 *   <li>A declared length within the limit is passed on untouched; the container never delivers
 *       more bytes than the declared length.</li>
 * </ul>
 *
 * The problem body is written by the http-edge module's writer (the MVC exception handlers never
 * see a request that stops in a filter), in the same shape as every other error.
 */
public class RequestSizeLimitFilter extends OncePerRequestFilter {

    static final String TYPE = HttpProblem.PAYLOAD_TOO_LARGE.typeUri();
    static final String CODE = HttpProblem.PAYLOAD_TOO_LARGE.name();

    private static final Logger log = LoggerFactory.getLogger(RequestSizeLimitFilter.class);

    private final long maxBytes;
    private final String limitText;

    public RequestSizeLimitFilter(HttpProperties properties) {
        this.maxBytes = properties.maxBodySize().toBytes();
        this.limitText = describe(maxBytes);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            refuse(request, response, "declared Content-Length " + declared + " bytes");
            return;
        }
        if (declared >= 0) {
            if (!refuseWildcardContentType(request, response)) {
                chain.doFilter(request, response);
            }
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), maxBytes + 1);
        if (body.length > maxBytes) {
            refuse(request, response, "a body of unknown length (chunked) over the limit");
            return;
        }
        if (refuseWildcardContentType(request, response)) {
            return;
        }
        chain.doFilter(new BufferedBodyRequest(request, body), response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, String what) throws IOException {
        log.info("refused {} {}: {} exceeds scoreboard.http.max-body-size={}",
                request.getMethod(), request.getRequestURI(), what, limitText);
        ProblemResponses.write(response, HttpProblem.PAYLOAD_TOO_LARGE.problem(
                "the request body is larger than the limit of " + limitText
                        + "; send a smaller body (the limit is the setting scoreboard.http.max-body-size)"),
                request.getRequestURI());
    }

    /** Size first, then this: Spring MVC cannot even describe such a request (it throws reading the headers). */
    private boolean refuseWildcardContentType(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (!hasWildcardContentType(request)) {
            return false;
        }
        log.info("refused {} {}: wildcard Content-Type {}", request.getMethod(), request.getRequestURI(),
                request.getContentType());
        ProblemResponses.write(response, HttpProblem.UNSUPPORTED_MEDIA_TYPE.problem(
                "Content-Type must name one media type, not a wildcard: send Content-Type: application/json"),
                request.getRequestURI());
        return true;
    }

    private static boolean hasWildcardContentType(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (contentType == null) {
            return false;
        }
        String mediaType = contentType.split(";", 2)[0].strip();
        return mediaType.startsWith("*") || mediaType.endsWith("/*");
    }

    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long remaining = limit;
        while (remaining > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            remaining -= n;
        }
        return out.toByteArray();
    }

    static String describe(long bytes) {
        if (bytes % (1024 * 1024) == 0) {
            return bytes + " bytes (" + bytes / (1024 * 1024) + " MiB)";
        }
        if (bytes % 1024 == 0) {
            return bytes + " bytes (" + bytes / 1024 + " KiB)";
        }
        return bytes + " bytes";
    }

    /** The request with its (already checked) body served from memory. */
    private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already buffered; read it synchronously");
                }
            };
        }

        @Override
        public BufferedReader getReader() throws UnsupportedEncodingException {
            String encoding = getCharacterEncoding();
            Charset charset;
            try {
                charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            } catch (IllegalArgumentException e) { // as the container does for an unknown charset
                throw new UnsupportedEncodingException(encoding);
            }
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
        }
    }
}
