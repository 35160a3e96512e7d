package io.scoreboard.infra.database;

import java.util.Objects;
import java.util.regex.Pattern;

/** A login role and its password. Names and passwords are restricted so they are safe in DDL. */
public record RoleCredentials(String user, String password) {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9_\\-]{0,128}");

    public RoleCredentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("role name '" + user + "' must match " + NAME.pattern());
        }
        if (!PASSWORD.matcher(password).matches()) {
            throw new IllegalArgumentException("the password of role '" + user + "' must match " + PASSWORD.pattern());
        }
    }

    @Override
    public String toString() {
        return "RoleCredentials[user=" + user + ", password=***]";
    }
}
