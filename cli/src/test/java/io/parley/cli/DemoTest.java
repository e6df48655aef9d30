package io.parley.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code parley demo}: the exchange table shows every step once, in an order the scenario allows. */
@Timeout(60)
class DemoTest {
    private static final Pattern ROW = Pattern.compile("^ (\\(\\d+A?\\)) +(-?\\d+\\.\\d{3})  (.*)$");
    /**
     * Pairs (earlier, later) that every run must respect; (5A) and (6)-(8) are not ordered, nor is the server's
     * acknowledged end (6A) with the client's steps: the client's library acknowledges on reading.
     */
    private static final List<List<String>> BEFORE = List.of(
            List.of("(1)", "(2)"), List.of("(2)", "(3)"), List.of("(3)", "(4)"), List.of("(4)", "(5)"),
            List.of("(5)", "(5A)"), List.of("(5)", "(6)"), List.of("(6)", "(7)"), List.of("(7)", "(8)"),
            List.of("(5)", "(6A)"));

    @Test
    void showsTheStepsInAValidOrderAndReconciles() {
        InProcess demo = InProcess.run("demo", "--clients", "4", "--transactions", "3");

        assertThat(demo.status()).as(demo.transcript()).isZero();
        List<String> steps = new ArrayList<>();
        double previous = -1;
        for (String line : demo.out()) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                steps.add(row.group(1));
                double time = Double.parseDouble(row.group(2));
                assertThat(time).as("times grow down the table").isGreaterThanOrEqualTo(previous);
                previous = time;
                boolean clientStep = List.of("(1)", "(6)", "(7)", "(8)").contains(row.group(1));
                assertThat(row.group(3).trim().startsWith("|")).as("column of " + line).isEqualTo(!clientStep);
            }
        }
        assertThat(steps).containsExactlyInAnyOrder("(1)", "(2)", "(3)", "(4)", "(5)", "(5A)", "(6)", "(6A)", "(7)",
                "(8)");
        assertThat(steps.getFirst()).isEqualTo("(1)");
        for (List<String> pair : BEFORE) {
            assertThat(steps.indexOf(pair.get(0))).as(pair + " in " + steps).isLessThan(steps.indexOf(pair.get(1)));
        }
        assertThat(demo.out()).as("the server knows every client got its grand total").filteredOn(l -> l.matches(
                " {2}client-\\d +3 transaction\\(s\\), told grand total \\d+, acknowledged")).hasSize(4);
        assertThat(demo.out()).contains("Sum of their transactions: 12; the server's running total: 12.");
        assertThat(demo.out()).anyMatch(l -> l.startsWith("Reconciled:"));
    }

    @Test
    void rejectsBadOptionsWithStatusOne() {
        InProcess demo = InProcess.run("demo", "--clients", "zero");

        assertThat(demo.status()).isEqualTo(1);
        assertThat(demo.err()).anyMatch(l -> l.contains("--clients must be a whole number"));
    }
}
