package io.parley.bench.harness;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated on the heap by the whole JVM (every thread; virtual threads count on their carriers), so
 * a run can report bytes allocated per message for both sides together.
 */
public final class Allocation {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocation() {
    }

    /** Bytes allocated so far by all threads, live and ended. */
    public static long totalBytes() {
        return THREADS.getTotalThreadAllocatedBytes();
    }
}
