package io.parley.bench.harness;

import java.util.Locale;

/**
 * The kind of thread a trial's calling side runs on. A platform thread woken from a blocking receive costs an
 * operating-system wake-up that a virtual thread does not, so the choice moves latency figures and is recorded
 * with every run.
 */
public enum CallerThread {
    /** A virtual thread, as Parley's blocking API is meant to be used. */
    VIRTUAL,
    /** The runner's own platform thread. */
    PLATFORM;

    /** The kind named by {@code -Dbench.caller} ({@code virtual} unless set). */
    public static CallerThread configured() {
        String name = System.getProperty("bench.caller", "virtual");
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bench.caller must be virtual or platform, not '" + name + "'", e);
        }
    }
}
