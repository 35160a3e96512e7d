package io.scoreboard.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 keep-alive connection on a plain blocking socket: a prepared request out, the status and the body
 * back (Content-Length or chunked), reopened after {@code Connection: close} or a failure. The live benchmark sends
 * its commands and read-your-writes reads this way because the JDK's HttpClient cost this JVM a thread per answer on
 * two cores (its asynchronous answers hop to the common pool, which is a new thread per task below 3 cores) and
 * several times the CPU of the viewers together; the time of an answer is taken on the thread that read its last byte.
 */
final class PlainHttpConnection implements Closeable {

    /** An answer: its status and body. */
    record Answer(int status, String body) {}

    private final String host;
    private final int port;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    PlainHttpConnection(String host, int port, int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    /** A request as this connection sends it, with the host header filled in. */
    static byte[] request(String method, String pathAndQuery, String host, String[] headers, String jsonBody) {
        StringBuilder head = new StringBuilder(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\nHost: ")
                .append(host).append("\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
        if (jsonBody != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        byte[] start = head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(start, start.length + body.length);
        System.arraycopy(body, 0, all, start.length, body.length);
        return all;
    }

    Answer exchange(byte[] request) throws IOException {
        try {
            if (socket == null) {
                Socket opened = new Socket();
                opened.connect(new InetSocketAddress(host, port), 5_000);
                opened.setSoTimeout(timeoutMillis);
                opened.setTcpNoDelay(true);
                socket = opened;
                in = new BufferedInputStream(opened.getInputStream(), 8192);
                out = opened.getOutputStream();
            }
            out.write(request);
            out.flush();
            Reply reply = read(in);
            if (reply.close()) {
                close();
            }
            return reply.answer();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** An answer read from {@code in}, and whether the server closes the connection after it. */
    record Reply(Answer answer, boolean close) {}

    static Reply read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not an HTTP answer: '" + statusLine + "'");
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = statusLine.startsWith("HTTP/1.0");
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:")) {
                close = lower.contains("close");
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (long size = chunkSize(in); size > 0; size = chunkSize(in)) {
                copy(in, body, size);
                line(in); // the chunk's CRLF
            }
            while (!line(in).isEmpty()) {
                // trailers
            }
        } else if (length >= 0) {
            copy(in, body, length);
        } else if (status != 204 && status != 304) {
            in.transferTo(body); // neither length nor chunks: the body ends with the connection
            close = true;
        }
        return new Reply(new Answer(status, body.toString(StandardCharsets.UTF_8)), close);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }

    private static long chunkSize(InputStream in) throws IOException {
        String size = line(in);
        int extension = size.indexOf(';');
        return Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
    }

    private static void copy(InputStream in, ByteArrayOutputStream to, long count) throws IOException {
        byte[] buffer = new byte[(int) Math.min(8192, Math.max(1, count))];
        long left = count;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("the connection ended inside a body");
            }
            to.write(buffer, 0, n);
            left -= n;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the connection ended inside an answer's head");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
