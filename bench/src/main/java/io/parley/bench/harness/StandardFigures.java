package io.parley.bench.harness;

/** The figures every implementation reports the same way, with the metric names the report expects. */
public final class StandardFigures {
    /** Lifecycles completed per second (lifecycle). */
    public static final String LIFECYCLES_PER_S = "lifecycles/s";
    /** Messages delivered per second (small-messages). */
    public static final String MESSAGES_PER_S = "messages/s";
    /** Gigabytes (10^9 bytes) delivered per second (bulk). */
    public static final String GB_PER_S = "GB/s";
    /** Heap bytes allocated per message, both sides and the whole JVM together. */
    public static final String ALLOC_PER_MESSAGE = "alloc B/msg";
    /** Median round trip. */
    public static final String P50_US = "p50 us";
    /** 99th percentile round trip. */
    public static final String P99_US = "p99 us";
    /** Heap bytes allocated per round trip, both sides together. */
    public static final String ALLOC_PER_ROUND_TRIP = "alloc B/rtt";

    private StandardFigures() {
    }

    /** Figures of a one-way run: {@code count} messages of {@code size} bytes delivered in {@code nanos}. */
    public static Figures oneWay(int size, long count, long nanos, long allocatedBytes, OsCounters before) {
        CountMismatchException.require(count > 0, "no message was delivered");
        double seconds = nanos / 1e9;
        Figures figures = new Figures();
        if (size >= 64 * 1024) {
            figures.put(GB_PER_S, count * (double) size / seconds / 1e9);
        } else {
            figures.put(MESSAGES_PER_S, count / seconds);
        }
        figures.put(ALLOC_PER_MESSAGE, allocatedBytes / (double) count);
        return OsCounters.addSince(before, count, "msg", figures);
    }

    /** Figures of a ping-pong run. */
    public static Figures pingPong(Latencies latencies, long allocatedBytes, OsCounters before) {
        return OsCounters.addSince(before, latencies.count(), "rtt", new Figures()
                .put(P50_US, latencies.quantileNanos(0.50) / 1e3)
                .put(P99_US, latencies.quantileNanos(0.99) / 1e3)
                .put(ALLOC_PER_ROUND_TRIP, allocatedBytes / (double) latencies.count()));
    }

    /** Figures of a lifecycle run. */
    public static Figures lifecycle(long completed, long nanos, OsCounters before) {
        CountMismatchException.require(completed > 0, "no lifecycle completed");
        return OsCounters.addSince(before, completed, "lifecycle",
                new Figures().put(LIFECYCLES_PER_S, completed / (nanos / 1e9)));
    }
}
