package io.scoreboard.infra.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How to run PostgreSQL's binaries, which refuse to run as root.
 *
 * <p>As root we prefer a user namespace ({@code unshare -U}): inside it the process is "nobody"
 * and so are the root-owned files it sees, so PostgreSQL's ownership checks pass, while the kernel
 * still lets it use files owned by root, as their owner. Nothing needs to be chowned. Where user
 * namespaces are blocked we switch to uid 65534 with {@code setpriv}; then the data directory must
 * belong to that uid and every directory on the way to the binaries must be searchable by it.
 */
enum UnprivilegedExecution {
    /** Not root: run the binaries as they are. */
    DIRECT,
    /** Root, in a user namespace where we are nobody. */
    USER_NAMESPACE,
    /** Root, switched to uid/gid 65534. */
    SETPRIV;

    /** Forces a mode (direct, unshare, setpriv) instead of detecting one; for diagnosis and tests. */
    static final String MODE_PROPERTY = "scoreboard.embedded-postgres.run-as";
    static final int NOBODY = 65534;

    static UnprivilegedExecution detect() {
        String forced = System.getProperty(MODE_PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        switch (forced) {
            case "direct": return DIRECT;
            case "unshare": return USER_NAMESPACE;
            case "setpriv": return SETPRIV;
            case "": break;
            default: throw new IllegalArgumentException("system property " + MODE_PROPERTY + "=" + forced
                    + " is not one of direct, unshare, setpriv. Fix: remove it or use one of those.");
        }
        if (currentUid() != 0) {
            return DIRECT;
        }
        if (ChildProcesses.succeeds(USER_NAMESPACE.wrap(List.of("true")))) {
            return USER_NAMESPACE;
        }
        if (ChildProcesses.succeeds(SETPRIV.wrap(List.of("true")))) {
            return SETPRIV;
        }
        throw new IllegalStateException("PostgreSQL refuses to run as root, and neither `unshare -U` nor "
                + "`setpriv --reuid=" + NOBODY + "` works on this machine. Fix: run this JVM as an unprivileged "
                + "user, or install util-linux (unshare, setpriv) and allow user namespaces.");
    }

    /** The command line that runs {@code command} in this mode. */
    List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>();
        if (this == USER_NAMESPACE) {
            wrapped.addAll(List.of("unshare", "-U"));
        } else if (this == SETPRIV) {
            wrapped.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * Makes {@code dir} (and everything in it) belong to the user the server runs as; needed after
     * a switch between modes, since a data directory written in one mode is unreadable in the other.
     */
    void takeOwnership(Path dir) {
        int uid = this == SETPRIV ? NOBODY : currentUid();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (ownerUid(path) != uid) {
                    Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(path, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + dir + " to uid " + uid, e);
        }
    }

    /** Under setpriv the binaries are read by uid 65534: every directory above them must let it pass. */
    void requireReachable(Path installDir) {
        if (this != SETPRIV) {
            return;
        }
        for (Path dir = installDir.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            try {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
                if (!permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    throw new IllegalStateException("PostgreSQL runs as uid " + NOBODY + " here (setpriv), and it "
                            + "cannot enter " + dir + " on the way to its binaries in " + installDir
                            + ". Fix: `chmod o+x " + dir + "`, or put the embedded PostgreSQL directory elsewhere.");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the permissions of " + dir, e);
            }
        }
    }

    static int currentUid() {
        try {
            // /proc/self leads to this process's directory, which belongs to its effective uid.
            return (Integer) Files.getAttribute(Path.of("/proc/self/"), "unix:uid");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell which user this JVM runs as", e);
        }
    }

    private static int ownerUid(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }
}
