package io.parley.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a demo run, in which the running total started at 0: every client's claim matches the server's
 * count, each client was told a total at least its own, the grand totals told form a chain (each is the one
 * before plus that client's count, so no client was added twice or lost), and the last one and the server's
 * running total are the sum of all transactions; and the server knows each client got its grand total (the
 * client acknowledged it).
 */
final class Reconciliation {

    private Reconciliation() {
    }

    /** What does not reconcile; empty when everything does. */
    static List<String> problems(List<ClientResult> results, Map<String, SessionReport> reports, long finalTotal) {
        List<String> problems = new ArrayList<>();
        long sum = 0;
        long lastTold = 0;
        for (ClientResult result : results) {
            String name = result.plan().name();
            sum += result.plan().transactions();
            lastTold = Math.max(lastTold, result.answer().grandTotal());
            result.discrepancy().ifPresent(d -> problems.add(name + ": " + d));
            if (result.answer().grandTotal() < result.plan().transactions()) {
                problems.add(name + " was told " + result.answer().grandTotal() + ", less than its own total");
            }
            Optional<GrandTotal> sent = Optional.ofNullable(reports.get(name)).flatMap(SessionReport::answer);
            if (!sent.equals(Optional.of(result.answer()))) {
                problems.add(name + " read " + result.answer() + " but the server reports " + sent);
            } else if (!reports.get(name).acknowledged()) {
                problems.add(name + " read its grand total but the server could not confirm it (unconfirmed end)");
            }
        }
        if (lastTold != sum || finalTotal != sum) {
            problems.add("the last grand total told is " + lastTold + " and the server's running total "
                    + finalTotal + ", but the transactions sum to " + sum);
        }
        problems.addAll(brokenLinks(reports));
        return problems;
    }

    /** Where a grand total is not the one before plus that session's count. */
    private static List<String> brokenLinks(Map<String, SessionReport> reports) {
        List<SessionReport> told = reports.values().stream().filter(r -> r.answer().isPresent())
                .sorted(Comparator.comparingLong(r -> r.answer().orElseThrow().grandTotal())).toList();
        List<String> problems = new ArrayList<>();
        long previous = 0;
        for (SessionReport report : told) {
            long grandTotal = report.answer().orElseThrow().grandTotal();
            if (grandTotal != previous + report.counted()) {
                problems.add(report.client() + " was told " + grandTotal + ", not " + previous + " + "
                        + report.counted());
            }
            previous = grandTotal;
        }
        return problems;
    }
}
