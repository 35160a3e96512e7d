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
 * The local stack's secrets: role passwords (owner, app, analyst) and the key that encrypts stored Idempotency-Key
 * responses. Random on the first run, then kept in {@code .scoreboard/credentials.json}
 * (owner-only permissions) so the data stays usable across runs.
 */
record LocalCredentials(String ownerPassword, String appPassword, String analystPassword, String responseKey) {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    static LocalCredentials loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                LocalCredentials stored = JSON.readValue(file.toFile(), LocalCredentials.class);
                if (stored.responseKey() != null && stored.analystPassword() != null) {
                    return stored;
                }
                // written by an older version: keep what is there, add what is missing
                LocalCredentials completed = new LocalCredentials(stored.ownerPassword(), stored.appPassword(),
                        stored.analystPassword() != null ? stored.analystPassword() : randomPassword(),
                        stored.responseKey() != null ? stored.responseKey() : randomKey());
                write(file, completed);
                return completed;
            }
            LocalCredentials created = new LocalCredentials(randomPassword(), randomPassword(), randomPassword(),
                    randomKey());
            write(file, created);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file + ": " + e.getMessage()
                    + ". Fix: make .scoreboard/ writable, or delete a corrupt credentials.json together with the data"
                    + " it protects (.scoreboard/postgres).", e);
        }
    }

    private static void write(Path file, LocalCredentials credentials) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(credentials));
        restrictToOwner(file);
    }

    ScoreboardRoles roles() {
        return ScoreboardRoles.withPasswords(ownerPassword, appPassword, analystPassword);
    }

    static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing more we can do
        }
    }

    /** 32 random bytes, base64: an AES-256 key. */
    private static String randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
