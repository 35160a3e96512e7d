package io.scoreboard.query.live;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One open stream. Writes never block: what the client's connection cannot take yet waits in a queue
 * and goes out when the container says the connection is writable again (Servlet non-blocking output).
 * So a slow viewer costs memory, never a thread, and never delays the other viewers or the hub that feeds them.
 * The memory is mostly shared: every viewer of a board queues the same message arrays. A viewer whose backlog
 * passes {@code maxQueuedBytes}, or that has taken nothing for {@code slowViewerTimeout} while data waits, is
 * dropped (its client reconnects and resumes from its last event id).
 */
final class LiveViewer implements WriteListener, AsyncListener {

    enum Ending { CLIENT_GONE, SLOW, BOARD_DELETED, SHUTDOWN, FAILED }

    private final UUID scoreboardId;
    private final String client;
    private final AsyncContext async;
    private final ServletOutputStream out;
    private final long maxQueuedBytes;
    private final Consumer<LiveViewer> onEnd;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean unflushed;
    private boolean ended;
    private Ending ending;
    /** Since when data has waited without the client taking any (0: nothing waits, or it is being taken). */
    private long blockedSince;

    LiveViewer(UUID scoreboardId, String client, AsyncContext async, long maxQueuedBytes,
               Consumer<LiveViewer> onEnd) throws IOException {
        this.scoreboardId = scoreboardId;
        this.client = client;
        this.async = async;
        this.out = async.getResponse().getOutputStream();
        this.maxQueuedBytes = maxQueuedBytes;
        this.onEnd = onEnd;
    }

    /** Called once, on the request's thread, after the hub knows the viewer. */
    void open() {
        async.addListener(this);
        out.setWriteListener(this); // the container calls onWritePossible at once
    }

    UUID scoreboardId() {
        return scoreboardId;
    }

    String client() {
        return client;
    }

    /** Queues {@code message}; false when the viewer has ended (or is dropped now for being too slow). */
    boolean send(byte[] message) {
        Ending failed;
        synchronized (this) {
            if (ended) {
                return false;
            }
            // One message always goes to a viewer that has nothing waiting, however large (a ranking-rules change
            // of a 10,000-participant board is about 1 MB): only a backlog counts against the bound.
            if (!queue.isEmpty() && queuedBytes + message.length > maxQueuedBytes) {
                failed = Ending.SLOW;
            } else {
                queue.add(message);
                queuedBytes += message.length;
                failed = pump();
            }
        }
        if (failed != null) {
            end(failed); // outside the lock: completing the request may call back into this viewer
            return false;
        }
        return true;
    }

    /** True when data has waited longer than {@code timeoutNanos} for the client to take it. */
    synchronized boolean stuckFor(long timeoutNanos, long now) {
        return !ended && blockedSince != 0 && now - blockedSince > timeoutNanos;
    }

    synchronized long queuedBytes() {
        return queuedBytes;
    }

    /** Ends the stream (the response completes); the hub forgets the viewer. */
    void end(Ending why) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            ending = why;
            queue.clear();
            queuedBytes = 0;
        }
        try {
            async.complete();
        } catch (RuntimeException e) {
            // already completed by the container (the client went away)
        }
        onEnd.accept(this);
    }

    synchronized Ending ending() {
        return ending;
    }

    /**
     * Writes while the connection takes data; the container calls onWritePossible when it does again.
     * Returns why the viewer must end, or null. Called with the lock held.
     */
    private Ending pump() {
        try {
            while (out.isReady()) {
                byte[] next = queue.poll();
                if (next == null) {
                    if (!unflushed) {
                        blockedSince = 0;
                        return null;
                    }
                    unflushed = false;
                    out.flush();
                    continue;
                }
                queuedBytes -= next.length;
                out.write(next);
                unflushed = true;
            }
            if (blockedSince == 0) {
                blockedSince = System.nanoTime();
            }
            return null;
        } catch (IOException | IllegalStateException e) {
            return Ending.CLIENT_GONE;
        }
    }

    @Override
    public void onWritePossible() {
        Ending failed;
        synchronized (this) {
            if (ended) {
                return;
            }
            blockedSince = 0; // the client took data: it is slow at worst, not stuck
            failed = pump();
        }
        if (failed != null) {
            end(failed);
        }
    }

    @Override
    public void onError(Throwable t) {
        end(Ending.CLIENT_GONE);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        end(Ending.CLIENT_GONE);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        end(Ending.CLIENT_GONE);
    }

    @Override
    public void onError(AsyncEvent event) {
        end(Ending.CLIENT_GONE);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }
}
