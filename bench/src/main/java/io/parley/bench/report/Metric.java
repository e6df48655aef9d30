package io.parley.bench.report;

import java.util.List;

/**
 * A figure the report shows: its scenario, name, whether higher is better, and whether Parley's ratio to
 * each peer is shown for it.
 */
record Metric(String scenario, String name, boolean higherIsBetter, boolean ratios) {

    /** The figures in report order; anything a data file has beyond these is left out. */
    static final List<Metric> ALL = List.of(
            new Metric("lifecycle", "lifecycles/s", true, true),
            new Metric("lifecycle", "rw calls/lifecycle", false, true),
            new Metric("lifecycle", "switches/lifecycle", false, true),
            new Metric("lifecycle", "cpu us/lifecycle", false, true),
            new Metric("small-messages", "messages/s", true, true),
            new Metric("small-messages", "alloc B/msg", false, true),
            new Metric("small-messages", "rw calls/msg", false, true),
            new Metric("small-messages", "switches/msg", false, true),
            new Metric("small-messages", "cpu us/msg", false, true),
            new Metric("bulk", "GB/s", true, true),
            new Metric("bulk", "alloc B/msg", false, true),
            new Metric("bulk", "rw calls/msg", false, true),
            new Metric("bulk", "switches/msg", false, true),
            new Metric("bulk", "cpu us/msg", false, true),
            new Metric("ping-pong", "p50 us", false, true),
            new Metric("ping-pong", "p99 us", false, true),
            new Metric("ping-pong", "alloc B/rtt", false, true),
            new Metric("ping-pong", "rw calls/rtt", false, true),
            new Metric("ping-pong", "switches/rtt", false, true),
            new Metric("ping-pong", "cpu us/rtt", false, true),
            new Metric("idle", "total B/conn", false, true),
            new Metric("idle", "heap B/conn", false, true),
            new Metric("idle", "native B/conn", false, true),
            new Metric("idle", "open s", false, true),
            new Metric("flood", "accepts/s", true, true),
            new Metric("flood", "p50 connect ms", false, true),
            new Metric("flood", "p99 connect ms", false, true),
            new Metric("flood", "silent held (min)", true, false),
            new Metric("flood", "silent reopened", true, false),
            new Metric("qos", "10 kB/s rate ÷ TokenRate", true, false),
            new Metric("qos", "1 MB/s rate ÷ TokenRate", true, false),
            new Metric("qos", "100 MB/s rate ÷ TokenRate", true, false),
            new Metric("qos", "1 GB/s rate ÷ TokenRate", true, false),
            new Metric("qos", "10 kB/s burst ÷ bucket", false, false),
            new Metric("qos", "1 MB/s burst ÷ bucket", false, false),
            new Metric("qos", "100 MB/s burst ÷ bucket", false, false),
            new Metric("qos", "1 GB/s burst ÷ bucket", false, false),
            new Metric("qos", "worst rate error %", false, false),
            new Metric("qos", "worst burst ÷ bucket", false, false));

    /** The figures the README's short table shows, as scenario/name. */
    static final java.util.Set<String> PRIMARY = java.util.Set.of("lifecycle/lifecycles/s",
            "small-messages/messages/s", "bulk/GB/s", "ping-pong/p50 us", "ping-pong/p99 us", "idle/total B/conn",
            "flood/accepts/s", "flood/p99 connect ms", "qos/worst rate error %");

    /** The scenarios in report order. */
    static final List<String> SCENARIOS = List.of("lifecycle", "small-messages", "bulk", "ping-pong", "idle", "flood", "qos");
}
