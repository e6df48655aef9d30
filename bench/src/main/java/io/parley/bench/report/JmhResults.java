package io.parley.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The rows of a JMH CSV result file (-rf csv), secondary metrics (such as -prof gc's) included. */
final class JmhResults {
    private JmhResults() {
    }

    /** One benchmark's score and its secondary metrics. */
    record Benchmark(String name, double score, double error, String unit, Map<String, Double> secondary) {
    }

    static List<Benchmark> load(Path csv) throws IOException {
        Map<String, Benchmark> benchmarks = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            List<String> f = fields(line);
            if (f.size() < 7) {
                continue;
            }
            String full = f.get(0);
            double score = parse(f.get(4));
            int colon = full.indexOf(':');
            if (colon < 0) {
                String name = full.substring(full.lastIndexOf('.', full.lastIndexOf('.') - 1) + 1);
                benchmarks.put(full, new Benchmark(name, score, parse(f.get(5)), f.get(6), new LinkedHashMap<>()));
            } else {
                Benchmark owner = benchmarks.get(full.substring(0, colon));
                if (owner != null) {
                    owner.secondary().put(full.substring(colon + 1), score);
                }
            }
        }
        return new ArrayList<>(benchmarks.values());
    }

    private static double parse(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
