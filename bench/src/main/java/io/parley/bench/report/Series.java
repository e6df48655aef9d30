package io.parley.bench.report;

import io.parley.bench.harness.Impl;
import io.parley.bench.harness.Results.Row;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One metric of one implementation over the rounds, by round number. */
final class Series {
    private final Map<Integer, Double> byRound = new TreeMap<>();

    /** The series of {@code metric} for {@code impl} in {@code rows}. */
    static Series of(List<Row> rows, Metric metric, Impl impl) {
        Series series = new Series();
        for (Row row : rows) {
            if (row.scenario().equals(metric.scenario()) && row.metric().equals(metric.name()) && row.impl() == impl) {
                series.byRound.put(row.round(), row.value());
            }
        }
        return series;
    }

    boolean isEmpty() {
        return byRound.isEmpty();
    }

    double median() {
        return Stats.median(values());
    }

    double min() {
        return Arrays.stream(values()).min().orElseThrow();
    }

    double max() {
        return Arrays.stream(values()).max().orElseThrow();
    }

    /** This series divided by {@code other}, round by round (rounds run side by side), over shared rounds. */
    double[] ratiosTo(Series other) {
        List<Double> ratios = new ArrayList<>();
        byRound.forEach((round, value) -> {
            Double theirs = other.byRound.get(round);
            if (theirs != null && theirs != 0) {
                ratios.add(value / theirs);
            }
        });
        return ratios.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private double[] values() {
        return byRound.values().stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Small statistics helpers. */
    static final class Stats {
        private Stats() {
        }

        static double median(double[] values) {
            if (values.length == 0) {
                return Double.NaN;
            }
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int middle = sorted.length / 2;
            return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }
}
