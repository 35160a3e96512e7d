package io.scoreboard.operator.rebuild;

/** Where a rebuild reads its events. */
public enum RebuildSource {
    /** The topic, as the live projection does (the default: it exercises the replica). */
    KAFKA("kafka"),
    /** The event store, in one snapshot: for when the topic is lost or suspect. */
    EVENT_STORE("event-store");

    private final String option;

    RebuildSource(String option) {
        this.option = option;
    }

    public String option() {
        return option;
    }

    /** picocli converter: accepts exactly the documented option values. */
    public static RebuildSource fromOption(String value) {
        for (RebuildSource s : values()) {
            if (s.option.equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("--source must be 'kafka' or 'event-store', not '" + value + "'");
    }
}
