package io.scoreboard.infra.localstack.up;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.scoreboard.infra.database.ScoreboardRoles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The local stack's role passwords: random on the first run, then kept in
 * {@code .scoreboard/credentials.json} (owner-only permissions) so the data stays usable across runs.
 */
record LocalCredentials(String ownerPassword, String appPassword) {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    static LocalCredentials loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return JSON.readValue(file.toFile(), LocalCredentials.class);
            }
            LocalCredentials created = new LocalCredentials(randomPassword(), randomPassword());
            Files.createDirectories(file.getParent());
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(created));
            restrictToOwner(file);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file + ": " + e.getMessage()
                    + ". Fix: make .scoreboard/ writable, or delete a corrupt credentials.json together with the data"
                    + " it protects (.scoreboard/postgres).", e);
        }
    }

    ScoreboardRoles roles() {
        return ScoreboardRoles.withPasswords(ownerPassword, appPassword);
    }

    static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing more we can do
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
