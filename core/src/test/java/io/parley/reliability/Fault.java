package io.parley.reliability;

import java.time.Duration;
import java.util.Random;

/**
 * What the {@link FaultProxy} does to one connection, from the byte {@link #at()} of one direction on.
 *
 * @param kind      the fault
 * @param direction the direction whose byte count triggers it (and which it affects, for the one-way faults)
 * @param at        how many bytes of that direction are forwarded before the fault strikes
 * @param delay     for {@link Kind#DELAY}: the latency added to every piece forwarded in that direction
 */
record Fault(Kind kind, Direction direction, long at, Duration delay) {

    /** The kinds of fault. */
    enum Kind {
        /** Forward everything faithfully. */
        NONE,
        /** At the byte, end both directions as a close would (FIN each way) and discard whatever follows. */
        CUT,
        /** At the byte, reset both connections (RST each way). */
        RESET,
        /** At the byte, stop forwarding this direction; the other goes on. Only timeouts end it. */
        STALL,
        /** From the byte on, hold every piece of this direction for {@link #delay()} before forwarding it. */
        DELAY,
        /** From the byte on, forward this direction one byte per write. */
        FRAGMENT,
        /** At the byte, end this direction only (FIN toward its receiver) and discard what follows in it. */
        HALF_CLOSE
    }

    /** The two directions of a proxied connection. */
    enum Direction {
        CLIENT_TO_SERVER, SERVER_TO_CLIENT;

        Direction opposite() {
            return this == CLIENT_TO_SERVER ? SERVER_TO_CLIENT : CLIENT_TO_SERVER;
        }
    }

    static final Fault NONE = new Fault(Kind.NONE, Direction.CLIENT_TO_SERVER, Long.MAX_VALUE, Duration.ZERO);

    /** A fault of a random kind at a random byte among the first {@code bytes} of a random direction. */
    static Fault random(Random random, long[] bytesPerDirection) {
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        Direction direction = Direction.values()[random.nextInt(2)];
        long at = random.nextLong(bytesPerDirection[direction.ordinal()] + 1);
        Duration delay = kind == Kind.DELAY ? Duration.ofMillis(1 + random.nextInt(3)) : Duration.ZERO;
        return kind == Kind.NONE ? NONE : new Fault(kind, direction, at, delay);
    }

    /** True for the faults that change what arrives (not only when or in what pieces). */
    boolean breaks() {
        return kind == Kind.CUT || kind == Kind.RESET || kind == Kind.STALL || kind == Kind.HALF_CLOSE;
    }

    @Override
    public String toString() {
        return kind == Kind.NONE ? "NONE" : kind + " " + direction + " at byte " + at
                + (kind == Kind.DELAY ? " +" + delay.toMillis() + " ms" : "");
    }
}
