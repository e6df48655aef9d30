package io.parley.cli;

import java.util.List;
import java.util.Locale;

/**
 * The reference exchange of one connection as a two-column table, client side | server side, one row per
 * step in the order the steps happened, each with its time in milliseconds from step (1).
 */
final class ExchangeTable {

    private ExchangeTable() {
    }

    /** The table of {@code stamps}, which are in the order they happened and include step (1). */
    static String render(List<Timeline.Stamp> stamps) {
        long origin = stamps.stream().filter(s -> s.step() == Step.CLIENT_SENDS_TOTAL).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no step (1)")).nanos();
        int width = Math.max("client side".length(), stamps.stream()
                .filter(s -> s.step().side() == Step.Side.CLIENT).mapToInt(s -> s.detail().length()).max().orElse(0));
        StringBuilder table = new StringBuilder(row("step", "ms", "client side", "server side", width));
        for (Timeline.Stamp stamp : stamps) {
            String time = String.format(Locale.ROOT, "%.3f", (stamp.nanos() - origin) / 1e6);
            boolean client = stamp.step().side() == Step.Side.CLIENT;
            table.append(row(stamp.step().label(), time, client ? stamp.detail() : "",
                    client ? "" : stamp.detail(), width));
        }
        return table.toString();
    }

    private static String row(String step, String time, String client, String server, int width) {
        return String.format(Locale.ROOT, " %-5s %9s  %-" + width + "s | %s", step, time, client, server)
                .stripTrailing() + "\n";
    }
}
