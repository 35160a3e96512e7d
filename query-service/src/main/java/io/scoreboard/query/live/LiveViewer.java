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

    enum Ending { CLIENT_GONE, SLOW, BOARD_DELETED, ACCESS_REVOKED, SHUTDOWN, FAILED }

    private final UUID scoreboardId;
    private final String client;
    private final AsyncContext async;
    private final ServletOutputStream out;
    private final long maxQueuedBytes;
    private final Consumer<LiveViewer> onEnd;
    /** The SHA-256 of the token the stream was opened with, or null: a private board's stream is checked against it. */
    private final String tokenHash;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean unflushed;
    /**
     * Whether the last {@code isReady()} answered false (or none was asked yet): the container then has a write of
     * this response outstanding (its own flush of what the socket could not take yet), and ending the stream must
     * not complete the response before that write is done.
     */
    private boolean awaitingWritePossible = true;
    private boolean ended;
    /** Ended, but the response is completed only once the container's outstanding write is done. */
    private boolean completePending;
    private Ending ending;
    /** Since when data has waited without the client taking any (0: nothing waits, or it is being taken). */
    private long blockedSince;

    LiveViewer(UUID scoreboardId, String client, String tokenHash, AsyncContext async, long maxQueuedBytes,
               Consumer<LiveViewer> onEnd) throws IOException {
        this.scoreboardId = scoreboardId;
        this.tokenHash = tokenHash;
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

    String tokenHash() {
        return tokenHash;
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
        if (failed == Ending.SLOW) {
            drop(); // outside the lock: ending the request may call back into this viewer
            return false;
        } else if (failed != null) {
            end(failed);
            return false;
        }
        return true;
    }

    /** True when data has waited longer than {@code timeoutNanos} for the client to take it. */
    synchronized boolean stuckFor(long timeoutNanos, long now) {
        return (!ended || completePending) && blockedSince != 0 && now - blockedSince > timeoutNanos;
    }

    synchronized long queuedBytes() {
        return queuedBytes;
    }

    /**
     * Ends the stream: nothing more is queued, and the response completes (the connection closes, the hub forgets the
     * viewer) once the container has written what it holds, so the client's last event arrives whole.
     */
    void end(Ending why) {
        // A viewer whose access was taken away gets nothing more, not even what the container still holds for it.
        finish(why, why == Ending.SHUTDOWN || why == Ending.ACCESS_REVOKED);
    }

    /**
     * Drops a viewer that does not keep up (a backlog past the bound, or nothing taken for the slow-viewer timeout):
     * what the container still holds for it is not sent; its client resumes from the last whole event it got.
     */
    void drop() {
        finish(Ending.SLOW, true);
    }

    /**
     * Completing a response clears its write listener, and Tomcat then writes what it still holds with blocking
     * writes that go ahead of the data waiting for the socket, and loses that data: a client got a change with its
     * middle missing that way. So while the container has a write outstanding, a stream either waits for
     * onWritePossible to complete, or (dropped, shutting down) has its connection closed without the rest.
     */
    private void finish(Ending why, boolean closeIfPending) {
        boolean closeNow;
        synchronized (this) {
            if (!ended) {
                ended = true;
                ending = why;
                queue.clear();
                queuedBytes = 0; // from now on nothing is queued: the hub's sends answer false
            } else if (!completePending) {
                return; // completed (or closed) already
            }
            closeNow = awaitingWritePossible && why != Ending.CLIENT_GONE;
            if (closeNow && !closeIfPending) {
                completePending = true; // onWritePossible completes it, or the heartbeat drops it if it stays stuck
                return;
            }
            completePending = false;
        }
        if (!closeNow || !TomcatConnections.closeNow(async.getResponse())) {
            try {
                async.complete();
            } catch (RuntimeException e) {
                // already completed by the container (the client went away)
            }
        }
        onEnd.accept(this); // the connection is closing: the hub forgets the viewer, its place counts no more
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
                awaitingWritePossible = false;
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
            awaitingWritePossible = true;
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
        boolean completeNow;
        synchronized (this) {
            awaitingWritePossible = false;
            blockedSince = 0; // the client took data: it is slow at worst, not stuck
            completeNow = completePending;
            failed = ended ? null : pump();
        }
        if (completeNow) {
            finish(ending(), false); // nothing is outstanding now: completes
        } else if (failed != null) {
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
