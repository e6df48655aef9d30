package io.parley.bench.report;

import io.parley.bench.harness.Impl;

import java.util.List;
import java.util.Locale;

/**
 * One target of issue 5. A relative target compares Parley's figure with a peer's, round by round (the
 * median of the per-round ratios); an absolute one compares Parley's median with a bound.
 *
 * @param label    what the target says
 * @param metric   the figure it is about
 * @param peer     the peer of a relative target, or null for an absolute one
 * @param bound    the ratio (relative) or value (absolute) to reach
 * @param atLeast  true for "at least the bound", false for "at most"
 * @param unit     the unit of an absolute target's value (such as "ms"); empty for a relative one
 */
record Target(String label, Metric metric, Impl peer, double bound, boolean atLeast, String unit) {

    /** A relative target: Parley's figure against {@code peer}'s. */
    Target(String label, Metric metric, Impl peer, double bound, boolean atLeast) {
        this(label, metric, peer, bound, atLeast, "");
    }

    /** The targets, in the order. */
    static List<Target> all() {
        return List.of(
                new Target("lifecycle ≥ 0.75× raw TCP", metric("lifecycle", "lifecycles/s"), Impl.RAW, 0.75, true),
                new Target("lifecycle ≥ 2× RSocket", metric("lifecycle", "lifecycles/s"), Impl.RSOCKET, 2, true),
                new Target("lifecycle ≥ 2× WebSocket", metric("lifecycle", "lifecycles/s"), Impl.WEBSOCKET, 2, true),
                new Target("small-messages ≥ 1.0× Netty", metric("small-messages", "messages/s"), Impl.NETTY, 1.0, true),
                new Target("bulk ≥ 0.9× raw TCP", metric("bulk", "GB/s"), Impl.RAW, 0.9, true),
                new Target("ping-pong p50 ≤ 1.3× raw TCP", metric("ping-pong", "p50 us"), Impl.RAW, 1.3, false),
                new Target("idle memory/connection ≤ 1.5× raw TCP", metric("idle", "total B/conn"), Impl.RAW, 1.5, false),
                new Target("flood p99 connect < 20 ms", metric("flood", "p99 connect ms"), null, 20, false, "ms"),
                new Target("QoS rate within 5% of TokenRate, 10 kB/s to 1 GB/s", metric("qos", "worst rate error %"),
                        null, 5, false, "%"),
                new Target("QoS bursts within TokenBucketSize", metric("qos", "worst burst ÷ bucket"), null, 1.0,
                        false, "× bucket"));
    }

    private static Metric metric(String scenario, String name) {
        return Metric.ALL.stream().filter(m -> m.scenario().equals(scenario) && m.name().equals(name)).findFirst()
                .orElseThrow();
    }

    /** True if {@code measured} meets the target. */
    boolean met(double measured) {
        return atLeast ? measured >= bound : measured <= bound;
    }

    /** How far past the bound (1 = exactly on it, more is better): the chart's bar length. */
    double headroom(double measured) {
        return atLeast ? measured / bound : bound / measured;
    }

    /** The measured figure as text: a ratio (“0.82× raw TCP”) or a value (“3.1 ms”). */
    String describe(double measured) {
        return peer == null
                ? String.format(Locale.ROOT, "%.2f %s", measured, unit)
                : String.format(Locale.ROOT, "%.2f× %s", measured, peer.title());
    }
}
