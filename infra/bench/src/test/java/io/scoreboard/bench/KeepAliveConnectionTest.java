package io.scoreboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The abuse flooders' connection: the status of each answer, bodies skipped, a closed connection reopened. */
class KeepAliveConnectionTest {

    private static final List<String> ANSWERS = List.of(
            "HTTP/1.1 429 \r\nRetry-After: 1\r\nContent-Length: 11\r\n\r\n{\"code\":1}\n",
            "HTTP/1.1 503 \r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3;ext=1\r\n:1}\r\n0\r\n\r\n",
            "HTTP/1.1 201 \r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
            "HTTP/1.1 403 \r\ncontent-length: 0\r\n\r\n");

    @Test
    void readsEachStatus_skipsBodies_andReconnectsAfterConnectionClose() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0)) {
            Thread serving = new Thread(() -> {
                int answer = 0;
                try {
                    while (answer < ANSWERS.size()) {
                        try (Socket socket = server.accept()) {
                            connections.incrementAndGet();
                            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                                    StandardCharsets.US_ASCII));
                            OutputStream out = socket.getOutputStream();
                            while (answer < ANSWERS.size()) {
                                // the request's head (the test's requests have no body)
                                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                                    // skipped
                                }
                                String reply = ANSWERS.get(answer++);
                                out.write(reply.getBytes(StandardCharsets.US_ASCII));
                                out.flush();
                                if (reply.contains("Connection: close")) {
                                    break;
                                }
                            }
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            serving.start();

            AbuseBenchmark.KeepAliveConnection connection = new AbuseBenchmark.KeepAliveConnection(server.getLocalPort());
            byte[] request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            assertThat(List.of(connection.exchange(request), connection.exchange(request), connection.exchange(request),
                    connection.exchange(request))).containsExactly(429, 503, 201, 403);
            connection.close();
            serving.join(10_000);
        }
        assertThat(connections).as("a new connection after the server's Connection: close").hasValue(2);
    }
}
