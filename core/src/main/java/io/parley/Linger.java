package io.parley;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link ParleyConnection#close()} does with data not yet delivered, as SO_LINGER / SO_DONTLINGER.
 *
 * @param mode    the kind of close
 * @param timeout for {@link Mode#BOUNDED}: how long close may block; zero otherwise
 */
public record Linger(Mode mode, Duration timeout) {

    /** The kinds of close. */
    public enum Mode {
        /** SO_DONTLINGER (the default): close returns at once; queued data is still delivered, gracefully. */
        DONT_LINGER,
        /** Linger with timeout 0: queued data is discarded and the peer sees a reset. */
        ABORTIVE,
        /** Linger with a timeout: close blocks until delivered and the peer ended, or the timeout (then resets). */
        BOUNDED
    }

    /** The default: graceful, in the background. */
    public static final Linger DONT_LINGER = new Linger(Mode.DONT_LINGER, Duration.ZERO);
    /** Abortive close (linger 0). */
    public static final Linger ABORTIVE = new Linger(Mode.ABORTIVE, Duration.ZERO);

    /** Validates that only a bounded linger has a (positive) timeout. */
    public Linger {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(timeout, "timeout");
        if ((mode == Mode.BOUNDED) != (timeout.isPositive())) {
            throw new IllegalArgumentException("a bounded linger needs a positive timeout, the others none");
        }
    }

    /**
     * A bounded linger: close blocks up to {@code timeout}.
     *
     * @param timeout how long close may block
     * @return the linger
     */
    public static Linger bounded(Duration timeout) {
        return new Linger(Mode.BOUNDED, timeout);
    }
}
