package io.scoreboard.infra.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Ports on the loopback interface, where every local-stack server listens. */
public final class Ports {

    private Ports() {
    }

    /** True when nothing listens on 127.0.0.1:port, so a server could bind it now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Servers bind with SO_REUSEADDR too: a port held only by TIME_WAIT connections counts as free.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port that is free right now. Another process may still take it before it is used. */
    public static int findFree() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }

    /** A free port different from {@code other}. */
    public static int findFreeExcept(int other) {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port = findFree();
            if (port != other) {
                return port;
            }
        }
        throw new IllegalStateException("cannot find a second free port on 127.0.0.1");
    }

    /**
     * Fails fast, before a server starts and dies with a less helpful error.
     *
     * @param setting what the port is for, as the user configures it (e.g. "the embedded Kafka port")
     */
    public static void requireFree(int port, String setting) {
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException(setting + " " + port + " is not a valid port (1-65535)");
        }
        if (!isFree(port)) {
            throw new PortInUseException(setting + ": port " + port + " on 127.0.0.1 is already in use. "
                    + "Fix: stop the process that listens on it (`ss -ltnp 'sport = :" + port + "'` shows it) "
                    + "or choose another port.");
        }
    }

    /** A port a local server needs is taken. */
    public static final class PortInUseException extends IllegalStateException {
        public PortInUseException(String message) {
            super(message);
        }
    }
}
