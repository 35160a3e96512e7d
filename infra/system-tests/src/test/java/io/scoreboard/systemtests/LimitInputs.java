package io.scoreboard.systemtests;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * Generated inputs at and around every documented maximum: names of up to 100 characters (and 101) mixing
 * one- to four-byte UTF-8 characters, scores and deltas up to the edge of the score range (and past it),
 * Idempotency-Keys of up to 255 characters (and 256), rounds as large as a 64 KiB body holds (and larger).
 * Most inputs are within the limits, so that most writes are accepted and the board's state builds up.
 */
final class LimitInputs {

    /** Code points by UTF-8 length: ASCII, two-byte (Latin, Greek, Cyrillic), three-byte (CJK, symbols), four-byte. */
    private static final int[] ASCII =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.'\"\\/&".codePoints().toArray();
    private static final int[] TWO_BYTES = "éÉßøØŁłñÑçÇΩωЖжŸÿ".codePoints().toArray();
    private static final int[] THREE_BYTES = "中文字表€☃★♞한글ア".codePoints().toArray();
    private static final int[] FOUR_BYTES = "😀🎉𝄞🀄🦄𓀀".codePoints().toArray();
    private static final BigDecimal LARGEST = new BigDecimal("999999999999999.9999");

    private LimitInputs() {}

    // --- names -------------------------------------------------------------------------------------------

    private static Arbitrary<Integer> character() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(box(ASCII))),
                Tuple.of(2, Arbitraries.of(box(TWO_BYTES))),
                Tuple.of(2, Arbitraries.of(box(THREE_BYTES))),
                Tuple.of(2, Arbitraries.of(box(FOUR_BYTES))),
                Tuple.of(1, Arbitraries.just((int) ' ')));
    }

    /** A name of exactly {@code length} characters; spaces only inside (a name is trimmed). */
    private static Arbitrary<String> nameOfLength(int length) {
        return character().list().ofSize(length).map(codePoints -> {
            StringBuilder name = new StringBuilder();
            for (int i = 0; i < codePoints.size(); i++) {
                int c = codePoints.get(i);
                name.appendCodePoint(c == ' ' && (i == 0 || i == codePoints.size() - 1) ? 'x' : c);
            }
            return name.toString();
        });
    }

    /** A valid name: 1 to 100 characters, often exactly 100, sometimes 1. */
    static Arbitrary<String> validNames() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(BoardModel.MAX_NAME)),
                Tuple.of(1, Arbitraries.just(1)),
                Tuple.of(5, Arbitraries.integers().between(1, BoardModel.MAX_NAME)
                        .withDistribution(RandomDistribution.uniform())))
                .flatMap(LimitInputs::nameOfLength);
    }

    /** Mostly valid names; sometimes one character too long, blank, or with a control character inside. */
    static Arbitrary<String> names() {
        return Arbitraries.frequencyOf(
                Tuple.of(12, validNames()),
                Tuple.of(2, nameOfLength(BoardModel.MAX_NAME + 1)),
                Tuple.of(1, Arbitraries.of("", "   ")),
                Tuple.of(1, Combinators.combine(nameOfLength(3), Arbitraries.of('\u0000', '\u0007', '\u001b', '\u007f',
                        '\u0085', '\n')).as((name, control) -> {
                            int second = name.offsetByCodePoints(0, 1); // inside, and never within a surrogate pair
                            return name.substring(0, second) + control + name.substring(second);
                        })));
    }

    /** A reason or round comment: none, or a name-like text (same rules). */
    static Arbitrary<String> texts() {
        return names().injectNull(0.6);
    }

    /**
     * {@code count} distinct participant names (ignoring case) whose create body stays within {@code budget}
     * bytes: at 10,000 participants mostly one to three characters, a few long ones while the budget allows.
     */
    static List<String> namesWithin(Random random, int count, int budget) {
        List<String> names = new ArrayList<>(count);
        Set<String> keys = new HashSet<>();
        int left = budget;
        for (int i = 0; i < count; i++) {
            int reserve = (count - i - 1) * 6; // three ASCII characters, quotes and a comma for each still to come
            int allowance = left - reserve - 3;
            int wanted = random.nextInt(500) == 0 ? 1 + random.nextInt(400) : 1 + random.nextInt(4);
            String name = null;
            for (int attempt = 0; attempt < 50 && name == null; attempt++) {
                String candidate = randomName(random, Math.min(wanted, allowance));
                if (!keys.contains(BoardModel.nameKey(candidate))) {
                    name = candidate;
                }
            }
            for (int n = i; name == null; n++) { // three ASCII characters: 46,656 of them, enough for any count
                String candidate = String.format("%3s", Integer.toString(n % 46_656, 36)).replace(' ', '0');
                if (!keys.contains(BoardModel.nameKey(candidate))) {
                    name = candidate;
                }
            }
            keys.add(BoardModel.nameKey(name));
            names.add(name);
            left -= BoardWrite.utf8(BoardWrite.json(name)) + 1;
        }
        return names;
    }

    /** Distinct names of exactly 100 characters, one- to four-byte ones mixed, as many as fit in {@code budget} bytes. */
    static List<String> longestNamesWithin(Random random, int budget) {
        List<String> names = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        int left = budget;
        while (true) {
            StringBuilder name = new StringBuilder();
            while (name.codePointCount(0, name.length()) < BoardModel.MAX_NAME) {
                name.appendCodePoint(randomName(random, 4).codePointAt(0));
            }
            String candidate = name.toString().strip();
            int size = BoardWrite.utf8(BoardWrite.json(candidate)) + 1;
            if (size > left) {
                return names;
            }
            if (candidate.codePointCount(0, candidate.length()) == BoardModel.MAX_NAME
                    && keys.add(BoardModel.nameKey(candidate))) {
                names.add(candidate);
                left -= size;
            }
        }
    }

    /** Random characters while they fit in {@code bytes} bytes of JSON (at least one), at most 100. */
    private static String randomName(Random random, int bytes) {
        StringBuilder name = new StringBuilder();
        int used = 0;
        for (int length = 0; length < BoardModel.MAX_NAME; length++) {
            int[] pool = switch (random.nextInt(10)) {
                case 0, 1 -> TWO_BYTES;
                case 2 -> THREE_BYTES;
                case 3 -> FOUR_BYTES;
                default -> ASCII;
            };
            int c = pool[random.nextInt(pool.length)];
            int size = BoardWrite.utf8(BoardWrite.json(new String(Character.toChars(c)))) - 2;
            if (used + size > bytes) {
                if (length == 0) {
                    name.append((char) ASCII[random.nextInt(36)]); // letters and digits: no JSON escape
                }
                break;
            }
            name.appendCodePoint(c);
            used += size;
        }
        return name.toString();
    }

    // --- scores ---------------------------------------------------------------------------------------------

    /** Deltas and scores within the range: mostly small, sometimes at its edges. */
    static Arbitrary<BigDecimal> validScores() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(-100, 100).map(BigDecimal::valueOf)),
                Tuple.of(3, Arbitraries.bigDecimals().between(new BigDecimal("-1000"), new BigDecimal("1000"))
                        .ofScale(4)),
                Tuple.of(1, Arbitraries.of(LARGEST, LARGEST.negate(), new BigDecimal("0.0001"),
                        new BigDecimal("-0.0001"))),
                Tuple.of(1, Arbitraries.bigDecimals().between(LARGEST.negate(), LARGEST).ofScale(4)));
    }

    /** Past the range: 10^15 in magnitude, or a fifth fractional digit. */
    static Arbitrary<BigDecimal> invalidScores() {
        return Arbitraries.of(BoardModel.SCORE_LIMIT, BoardModel.SCORE_LIMIT.negate(), new BigDecimal("0.00001"),
                new BigDecimal("-1.23456"), new BigDecimal("999999999999999.99999"));
    }

    static Arbitrary<BigDecimal> scores() {
        return Arbitraries.frequencyOf(Tuple.of(5, validScores()), Tuple.of(1, invalidScores()));
    }

    /**
     * A round's deltas: a few, hundreds, or more than a 64 KiB body holds (about 1,400); within the range, with
     * now and then one at the range's edge or one past it.
     */
    static Arbitrary<List<BigDecimal>> roundDeltas(boolean large) {
        Arbitrary<Integer> sizes = large
                ? Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.integers().between(1, 5)),
                        Tuple.of(3, Arbitraries.integers().between(1_300, 1_700)))
                : Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.integers().between(1, 5)),
                        Tuple.of(1, Arbitraries.integers().between(6, 40)));
        Arbitrary<BigDecimal> usual = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(-100, 100).map(BigDecimal::valueOf)),
                Tuple.of(1, Arbitraries.bigDecimals().between(new BigDecimal("-1000"), new BigDecimal("1000"))
                        .ofScale(4)));
        Arbitrary<BigDecimal> unusual = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(LARGEST, LARGEST.negate())),
                Tuple.of(1, invalidScores())).injectNull(0.6);
        return Combinators.combine(sizes.flatMap(size -> usual.list().ofSize(size)), unusual,
                Arbitraries.integers().greaterOrEqual(0)).as((deltas, odd, where) -> {
                    List<BigDecimal> all = new ArrayList<>(deltas);
                    if (odd != null) {
                        all.set(where % all.size(), odd);
                    }
                    return all;
                });
    }

    // --- writes ------------------------------------------------------------------------------------------------

    /** One write of a sequence, on a board of a few participants ({@code large}: of thousands). */
    static Arbitrary<BoardWrite> writes(boolean large) {
        Arbitrary<Integer> who = Arbitraries.integers().between(0, 1_000_000);
        Arbitrary<BoardWrite.Padding> paddings = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(BoardWrite.Padding.NONE)),
                Tuple.of(1, Arbitraries.just(BoardWrite.Padding.TO_LIMIT)),
                Tuple.of(1, Arbitraries.just(BoardWrite.Padding.ONE_OVER)));
        Arbitrary<Boolean> fit = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(true)),
                Tuple.of(1, Arbitraries.just(false)));
        return Arbitraries.frequencyOf(
                Tuple.of(large ? 4 : 3, names().map(BoardWrite.AddParticipant::new)),
                Tuple.of(1, who.map(BoardWrite.AddCaseVariant::new)),
                Tuple.of(large ? 1 : 2, Combinators.combine(who, names()).as(BoardWrite.RenameParticipant::new)),
                Tuple.of(large ? 3 : 1, who.map(BoardWrite.RemoveParticipant::new)),
                Tuple.of(large ? 1 : 2, Combinators.combine(who, scores(), texts()).as(BoardWrite.ChangeScore::new)),
                Tuple.of(1, Combinators.combine(who, scores()).as(BoardWrite.SetScore::new)),
                Tuple.of(large ? 4 : 2, Combinators.combine(roundDeltas(large), who, texts(), fit, paddings)
                        .as(BoardWrite.Round::new)),
                Tuple.of(2, Arbitraries.just(new BoardWrite.Undo())),
                Tuple.of(1, names().map(BoardWrite.RenameBoard::new)),
                Tuple.of(1, Arbitraries.just(new BoardWrite.Replay())));
    }

    // --- Idempotency-Keys -------------------------------------------------------------------------------------

    /** For board writes: none, or 1 to 255 visible ASCII characters (often 255); sometimes 256, or a space in it. */
    static Arbitrary<String> keys() {
        Arbitrary<Character> visible = Arbitraries.chars().range('!', '~');
        Arbitrary<Integer> lengths = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(255)),
                Tuple.of(4, Arbitraries.integers().between(1, 255).withDistribution(RandomDistribution.uniform())),
                Tuple.of(1, Arbitraries.just(256)));
        Arbitrary<String> key = lengths.flatMap(n -> visible.list().ofSize(n).map(LimitInputs::text));
        // inside: spaces around a header's value are not part of it
        Arbitrary<String> withSpace = visible.list().ofMinSize(2).ofMaxSize(40).map(LimitInputs::text)
                .map(text -> text.substring(0, text.length() / 2) + " " + text.substring(text.length() / 2));
        return Arbitraries.frequencyOf(Tuple.of(12, key), Tuple.of(1, withSpace)).injectNull(0.5);
    }

    /** For creates: none, or 32 to 255 hex digits (often 255), or 256. */
    static Arbitrary<String> createKeys() {
        Arbitrary<Integer> lengths = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(32)),
                Tuple.of(1, Arbitraries.just(255)),
                Tuple.of(2, Arbitraries.integers().between(32, 255)));
        return lengths.flatMap(n -> Arbitraries.strings().withChars("0123456789abcdef").ofLength(n)).injectNull(0.25);
    }

    private static String text(List<Character> chars) {
        StringBuilder text = new StringBuilder(chars.size());
        chars.forEach(text::append);
        return text.toString();
    }

    private static Integer[] box(int[] values) {
        return java.util.Arrays.stream(values).boxed().toArray(Integer[]::new);
    }
}
