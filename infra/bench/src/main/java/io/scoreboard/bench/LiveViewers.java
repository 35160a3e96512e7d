package io.scoreboard.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many live viewers in one thread: each an HTTP/1.1 connection to {@code GET /api/v1/scoreboards/{id}/live}, all on
 * one NIO selector, so that 2,000 of them cost this JVM a few megabytes and little CPU (the client must not be what
 * is measured). Every socket read is stamped with {@link System#nanoTime()} as it returns; the events it completes
 * are parsed ({@link EventStreamParser}, after {@link ChunkedBody} when the answer is chunked) and every
 * {@code change} is checked and kept by position in the viewer's {@link ChangeSequence}.
 *
 * <p>A viewer counts as open once its {@code snapshot} arrived. Viewers are opened a bounded number at a time, as
 * the service's accept queue (Tomcat's accept-count, 100) would otherwise drop connections that then wait for a
 * SYN retransmission. The viewers' sequences are read by other threads only after {@link #close()}; until then
 * only the volatile progress fields are.
 */
final class LiveViewers implements AutoCloseable {

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    /** One viewer: its board, its connection, and what it received. */
    static final class Viewer {
        final int index;
        final int board;
        final String path;
        final ChangeSequence sequence = new ChangeSequence();
        private final EventStreamParser parser;
        private SocketChannel channel;
        private ByteBuffer request;
        private byte[] header = new byte[1024];
        private int headerLength;
        private boolean streaming;
        private ChunkedBody chunked;
        /** Arrival stamp of the read being parsed. */
        private long now;
        long connectNanos;
        volatile long snapshotNanos;
        /** The last position received (snapshot or change): the load's drain waits on it. */
        volatile long lastPosition = -1;
        volatile boolean ended;
        volatile String failure;
        long protocolErrors;
        String firstProtocolError;
        long unexpectedEvents;

        private Viewer(int index, int board, String path) {
            this.index = index;
            this.board = board;
            this.path = path;
            this.parser = new EventStreamParser(this::event);
        }

        long comments() {
            return parser.comments();
        }

        long retryMillis() {
            return parser.retryMillis();
        }

        private void event(String type, String id, String data) {
            long[] positionAndVersion;
            try {
                positionAndVersion = positionAndVersion(data);
            } catch (IOException | RuntimeException e) {
                protocolError(type + " whose data is not the expected JSON: " + e.getMessage());
                return;
            }
            long position = positionAndVersion[0];
            long version = positionAndVersion[1];
            if (position < 0 || version < 0) {
                protocolError(type + " without a position or a version: " + abbreviate(data));
                return;
            }
            if (!Long.toString(position).equals(id)) {
                protocolError(type + " with id '" + id + "' but position " + position);
            }
            switch (type) {
                case "snapshot" -> {
                    sequence.snapshot(version, position);
                    lastPosition = Math.max(lastPosition, position);
                    if (snapshotNanos == 0) {
                        snapshotNanos = now;
                        opened.accept(this);
                    }
                }
                case "change" -> {
                    sequence.change(position, version, now);
                    lastPosition = Math.max(lastPosition, position);
                }
                default -> unexpectedEvents++;
            }
        }

        private static String abbreviate(String data) {
            return data.length() <= 120 ? data : data.substring(0, 120) + "…";
        }

        private void protocolError(String what) {
            protocolErrors++;
            if (firstProtocolError == null) {
                firstProtocolError = what;
            }
        }

        /** Set by the owner when the viewer is created. */
        private java.util.function.Consumer<Viewer> opened = v -> { };
    }

    private final InetSocketAddress address;
    private final String host;
    private final Selector selector;
    private final Thread thread;
    private final List<Viewer> viewers = new ArrayList<>();
    private final ConcurrentLinkedQueue<Viewer> toConnect = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private final AtomicInteger opening = new AtomicInteger();
    private final ArrayDeque<Viewer> waiting = new ArrayDeque<>();
    private volatile boolean running = true;
    private volatile CountDownLatch openedOrFailed = new CountDownLatch(0);
    private volatile int maxOpening = 1;
    private volatile long endedWhileStreaming;

    LiveViewers(String host, int port) throws IOException {
        this.address = new InetSocketAddress(host, port);
        this.host = host + ":" + port;
        this.selector = Selector.open();
        this.thread = new Thread(this::loop, "live-viewers");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Opens one viewer per entry of {@code boardPaths} (the board's index and its live path), at most
     * {@code maxOpening} connecting at once; returns once every one has its snapshot or failed, or the timeout passed.
     * Returns how long that took.
     */
    Duration open(List<Integer> boards, List<String> paths, int maxOpening, Duration timeout)
            throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(boards.size());
        this.openedOrFailed = latch;
        this.maxOpening = maxOpening;
        long start = System.nanoTime();
        for (int i = 0; i < boards.size(); i++) {
            Viewer viewer = new Viewer(viewers.size(), boards.get(i), paths.get(i));
            viewer.opened = v -> {
                opening.decrementAndGet();
                latch.countDown();
            };
            viewers.add(viewer);
            toConnect.add(viewer);
        }
        selector.wakeup();
        if (!latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(String.format(Locale.ROOT, "only %,d of %,d viewers had their snapshot "
                    + "after %d s; first failure: %s", boards.size() - latch.getCount(), boards.size(),
                    timeout.toSeconds(), firstFailure()));
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    List<Viewer> viewers() {
        return viewers;
    }

    /** Viewers whose connection ended or failed after their snapshot (the service closed it). */
    long endedWhileStreaming() {
        return endedWhileStreaming;
    }

    String firstFailure() {
        for (Viewer v : viewers) {
            if (v.failure != null) {
                return "viewer " + v.index + " (" + v.path + "): " + v.failure;
            }
        }
        return "none";
    }

    long failed() {
        return viewers.stream().filter(v -> v.failure != null).count();
    }

    /** Stops the thread and closes every connection; the viewers' sequences may be read afterwards. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        selector.wakeup();
        thread.join(10_000);
        for (Viewer v : viewers) {
            closeQuietly(v);
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void loop() {
        while (running) {
            try {
                startConnecting();
                selector.select(100);
                var keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    Viewer viewer = (Viewer) key.attachment();
                    try {
                        if (!key.isValid()) {
                            continue;
                        }
                        if (key.isConnectable()) {
                            viewer.channel.finishConnect();
                            key.interestOps(SelectionKey.OP_WRITE);
                        } else if (key.isWritable()) {
                            viewer.channel.write(viewer.request);
                            if (!viewer.request.hasRemaining()) {
                                key.interestOps(SelectionKey.OP_READ);
                            }
                        } else if (key.isReadable()) {
                            read(viewer, key);
                        }
                    } catch (IOException | RuntimeException e) {
                        fail(viewer, key, e.toString());
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("the viewers' selector failed", e);
            }
        }
    }

    private void startConnecting() {
        Viewer next;
        while ((next = toConnect.poll()) != null) {
            waiting.add(next);
        }
        while (!waiting.isEmpty() && opening.get() < maxOpening) {
            Viewer viewer = waiting.poll();
            opening.incrementAndGet();
            try {
                viewer.connectNanos = System.nanoTime();
                viewer.request = ByteBuffer.wrap(("GET " + viewer.path + " HTTP/1.1\r\nHost: " + host
                        + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                viewer.channel = channel;
                boolean connected = channel.connect(address);
                channel.register(selector, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, viewer);
            } catch (IOException e) {
                fail(viewer, null, e.toString());
            }
        }
    }

    private void read(Viewer viewer, SelectionKey key) throws IOException {
        readBuffer.clear();
        int n = viewer.channel.read(readBuffer);
        long now = System.nanoTime();
        if (n < 0) {
            if (viewer.snapshotNanos == 0) {
                fail(viewer, key, "the service closed the connection before the snapshot");
            } else {
                viewer.ended = true;
                endedWhileStreaming++;
                key.cancel();
                closeQuietly(viewer);
            }
            return;
        }
        viewer.now = now;
        byte[] bytes = readBuffer.array();
        if (viewer.streaming) {
            body(viewer, bytes, 0, n);
            return;
        }
        if (viewer.headerLength + n > viewer.header.length) {
            if (viewer.headerLength + n > MAX_HEADER_BYTES) {
                throw new IOException("no end of the answer's header within " + MAX_HEADER_BYTES + " bytes");
            }
            viewer.header = java.util.Arrays.copyOf(viewer.header, Math.max(viewer.header.length * 2,
                    viewer.headerLength + n));
        }
        System.arraycopy(bytes, 0, viewer.header, viewer.headerLength, n);
        viewer.headerLength += n;
        int end = indexOf(viewer.header, viewer.headerLength, HEADER_END);
        if (end < 0) {
            return;
        }
        String head = new String(viewer.header, 0, end, StandardCharsets.ISO_8859_1);
        int bodyStart = end + HEADER_END.length;
        String statusLine = head.lines().findFirst().orElse("");
        if (!statusLine.matches("HTTP/1\\.[01] 200 .*|HTTP/1\\.[01] 200")) {
            String body = new String(viewer.header, bodyStart, viewer.headerLength - bodyStart, StandardCharsets.UTF_8);
            fail(viewer, key, statusLine + " " + body.strip());
            return;
        }
        if (head.toLowerCase(Locale.ROOT).contains("\ntransfer-encoding: chunked")) {
            viewer.chunked = new ChunkedBody(viewer.parser::feed);
        }
        viewer.streaming = true;
        byte[] rest = java.util.Arrays.copyOfRange(viewer.header, bodyStart, viewer.headerLength);
        viewer.header = null;
        body(viewer, rest, 0, rest.length);
    }

    private static void body(Viewer viewer, byte[] bytes, int offset, int length) {
        if (viewer.chunked != null) {
            viewer.chunked.feed(bytes, offset, length);
        } else {
            viewer.parser.feed(bytes, offset, length);
        }
    }

    private void fail(Viewer viewer, SelectionKey key, String why) {
        boolean wasOpening = viewer.snapshotNanos == 0 && viewer.failure == null;
        if (viewer.failure == null) {
            viewer.failure = why;
        }
        viewer.ended = true;
        if (key != null) {
            key.cancel();
        }
        closeQuietly(viewer);
        if (wasOpening) {
            opening.decrementAndGet();
            openedOrFailed.countDown();
        } else {
            endedWhileStreaming++;
        }
    }

    private static void closeQuietly(Viewer viewer) {
        if (viewer.channel != null) {
            try {
                viewer.channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    static int indexOf(byte[] bytes, int length, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (bytes[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * The top-level {@code position} and {@code version} of a snapshot's or a change's JSON, read with Jackson's
     * streaming parser (nested participants are skipped, not built); -1 for a missing one.
     */
    static long[] positionAndVersion(String json) throws IOException {
        long position = -1;
        long version = -1;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.getCurrentName();
                JsonToken value = p.nextToken();
                if ("position".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
                    position = p.getLongValue();
                } else if ("version".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
                    version = p.getLongValue();
                } else {
                    p.skipChildren();
                }
            }
        }
        return new long[] {position, version};
    }
}
