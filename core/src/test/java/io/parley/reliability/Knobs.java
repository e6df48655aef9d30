package io.parley.reliability;

/**
 * The sizes of the reliability tests, as system properties: the defaults keep the suite fast; the full
 * sizes are run by the commands in docs/reliability.md, for example
 * {@code -Dparley.soak.lifecycles=10000 -Dparley.leak.lifecycles=100000 -Dparley.flood.connections=1000}.
 */
final class Knobs {
    private Knobs() {
    }

    /** Lifecycles of the soak test through the fault proxy. */
    static int soakLifecycles() {
        return Integer.getInteger("parley.soak.lifecycles", 500);
    }

    /** Lifecycles run at once by the soak test. */
    static int soakWorkers() {
        return Integer.getInteger("parley.soak.workers", 8);
    }

    /** The soak's seed: a failing run prints its seed, and this property reproduces it. */
    static long soakSeed() {
        String value = System.getProperty("parley.soak.seed");
        return value != null ? Long.parseLong(value) : System.nanoTime();
    }

    /** Runs only this lifecycle of the seed (to reproduce one failure); -1 runs them all. */
    static int soakOnly() {
        return Integer.getInteger("parley.soak.only", -1);
    }

    /** With {@link #soakOnly()}: how many times to run that lifecycle (its timing differs each time). */
    static int soakRepeat() {
        return Integer.getInteger("parley.soak.repeat", 1);
    }

    /** Lifecycles of the leak test (abortive closes, caller timeouts, rejections among them). */
    static int leakLifecycles() {
        return Integer.getInteger("parley.leak.lifecycles", 3_000);
    }

    /** Hostile connections held open at once by the flood test. */
    static int floodConnections() {
        return Integer.getInteger("parley.flood.connections", 200);
    }
}
