package io.scoreboard.projections.scoreboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * One board of the read model, every column of {@code scoreboards}, all its {@code participants}
 * rows (removed ones too) sorted by participant id, its {@code board_tokens} sorted by token id, its {@code teams}
 * (removed ones too) sorted by team id, and the digest of its history rows ({@code board_changes},
 * {@code participant_changes}, {@code team_changes}, {@code board_events}). Equal rows mean equal boards;
 * {@link #checksum()} is a short digest for reports and for comparing without shipping the rows.
 */
public record BoardRow(UUID scoreboardId, String name, String scoreOrder, String ranking, String visibility,
                       boolean deleted,
                       long version, long lastPosition, Instant createdAt, Instant updatedAt,
                       List<ParticipantRow> participants, List<TokenRow> tokens, List<TeamRow> teams,
                       HistoryDigest history) {

    public BoardRow {
        createdAt = micros(createdAt);
        updatedAt = micros(updatedAt);
        participants = participants.stream().sorted(Comparator.comparing(ParticipantRow::participantId)).toList();
        tokens = tokens.stream().sorted(Comparator.comparing(TokenRow::tokenId)).toList();
        teams = teams.stream().sorted(Comparator.comparing(TeamRow::teamId)).toList();
    }

    /** SHA-256 over a canonical text of every column, first 16 hex digits. */
    public String checksum() {
        StringBuilder text = new StringBuilder(128 + 96 * participants.size());
        text.append(scoreboardId).append('|').append(name).append('|').append(scoreOrder).append('|').append(ranking)
                .append('|').append(visibility).append('|').append(deleted).append('|').append(version).append('|').append(lastPosition).append('|')
                .append(createdAt).append('|').append(updatedAt).append('|').append(history);
        for (ParticipantRow p : participants) {
            text.append('\n').append(p.participantId()).append('|').append(p.name()).append('|')
                    .append(p.score().toPlainString()).append('|').append(p.scoreReachedPosition()).append('|')
                    .append(p.removed()).append('|').append(p.removedAt()).append('|').append(p.teamId());
        }
        for (TokenRow t : tokens) {
            text.append("\nT").append(t.text());
        }
        for (TeamRow t : teams) {
            text.append("\nG").append(t.text());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** PostgreSQL keeps microseconds; an event time with more digits compares by what the table can hold. */
    static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }
}
