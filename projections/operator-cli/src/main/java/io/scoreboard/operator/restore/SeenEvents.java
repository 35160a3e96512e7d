package io.scoreboard.operator.restore;

import java.util.UUID;

/**
 * The event ids a restore has written, each with a fingerprint of its stored row, in two flat
 * arrays (open addressing): about 24 bytes per event at the usual load, where a HashMap of UUIDs
 * would take four times that. The topic is at-least-once, so every event may come several times,
 * anywhere in the log; a second copy must be identical to the first.
 */
final class SeenEvents {

    enum Outcome { FIRST, SAME_COPY, DIFFERENT_COPY }

    private static final int MIN_CAPACITY = 1 << 10;
    /** Three longs per slot must stay within one Java array. */
    private static final int MAX_CAPACITY = 1 << 29;

    /** Three longs per slot: id (high, low) and fingerprint; a slot of two zero id halves is free. */
    private long[] slots;
    private int size;

    SeenEvents(long expected) {
        int capacity = MIN_CAPACITY;
        while (capacity < expected * 2 && capacity < MAX_CAPACITY) {
            capacity <<= 1;
        }
        slots = new long[capacity * 3];
    }

    /** Records {@code id} with its row fingerprint, or says how this copy compares with the first. */
    Outcome add(UUID id, long fingerprint) {
        if ((size + 1) * 2L > capacity()) {
            grow();
        }
        long high = id.getMostSignificantBits();
        long low = id.getLeastSignificantBits();
        if (high == 0 && low == 0) {
            throw new IllegalArgumentException("the nil UUID is not an event id");
        }
        int slot = find(slots, high, low);
        if (slots[slot] == 0 && slots[slot + 1] == 0) {
            slots[slot] = high;
            slots[slot + 1] = low;
            slots[slot + 2] = fingerprint;
            size++;
            return Outcome.FIRST;
        }
        return slots[slot + 2] == fingerprint ? Outcome.SAME_COPY : Outcome.DIFFERENT_COPY;
    }

    int size() {
        return size;
    }

    private int capacity() {
        return slots.length / 3;
    }

    /** The slot holding the id, or the free slot where it belongs (linear probing). */
    private static int find(long[] table, long high, long low) {
        int capacity = table.length / 3;
        int index = (int) (mix(high ^ low) & (capacity - 1));
        while (true) {
            int slot = index * 3;
            if ((table[slot] == 0 && table[slot + 1] == 0) || (table[slot] == high && table[slot + 1] == low)) {
                return slot;
            }
            index = (index + 1) & (capacity - 1);
        }
    }

    private void grow() {
        if (capacity() >= MAX_CAPACITY) {
            throw new IllegalStateException("more than " + MAX_CAPACITY / 2 + " distinct events: beyond one restore");
        }
        long[] bigger = new long[slots.length * 2];
        for (int slot = 0; slot < slots.length; slot += 3) {
            if (slots[slot] != 0 || slots[slot + 1] != 0) {
                int target = find(bigger, slots[slot], slots[slot + 1]);
                System.arraycopy(slots, slot, bigger, target, 3);
            }
        }
        slots = bigger;
    }

    /** Random UUIDs are well mixed already; this also spreads ids that differ only in a few bits. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
