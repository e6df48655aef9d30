package io.parley.bench.report;

import io.parley.bench.harness.Impl;
import io.parley.bench.harness.Results;
import io.parley.bench.harness.Results.Row;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Writes the results page (Markdown) and its chart (SVG) from a data directory: one {@code SCENARIO.tsv}
 * per scenario run, {@code codec.csv} from JMH and {@code run.properties} from bench/run.
 */
public final class Report {
    /** Bytes of a 64-byte array on the heap (16-byte header + 64): what the message itself costs. */
    static final double MESSAGE_ITSELF = 80;

    private final List<Row> rows;
    private final List<JmhResults.Benchmark> codec;
    private final RunInfo info;
    private final List<String> failures;

    private Report(List<Row> rows, List<JmhResults.Benchmark> codec, RunInfo info, List<String> failures) {
        this.rows = rows;
        this.codec = codec;
        this.info = info;
        this.failures = failures;
    }

    /** Reads {@code data} and writes {@code markdown} and {@code svg}. */
    public static void write(Path data, Path markdown, Path svg) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (Stream<Path> files = Files.list(data)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".tsv")).sorted().toList()) {
                rows.addAll(Results.load(file));
            }
        }
        Path csv = data.resolve("codec.csv");
        List<JmhResults.Benchmark> codec = Files.exists(csv) ? JmhResults.load(csv) : List.of();
        List<String> failures = new ArrayList<>();
        try (Stream<Path> files = Files.list(data)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".failures")).sorted().toList()) {
                failures.addAll(Files.readAllLines(file));
            }
        }
        Report report = new Report(rows, codec, RunInfo.load(data.resolve("run.properties")), failures);
        List<Chart.Bar> bars = new ArrayList<>();
        String page = report.page(bars, svg.getFileName().toString());
        Files.writeString(markdown, page);
        Path summary = markdown.resolveSibling(markdown.getFileName().toString().replace(".md", "-summary.md"));
        Files.writeString(summary, report.summary(markdown.getFileName().toString()));
        Files.writeString(svg, Chart.svg(bars, "Parley against its targets (" + report.info.date() + ")"));
        System.out.println("wrote " + markdown + ", " + summary + " and " + svg);
    }

    private String page(List<Chart.Bar> bars, String svgName) {
        StringBuilder md = new StringBuilder();
        md.append("# Parley benchmarks: latest run\n\n");
        md.append(info.describe()).append('\n');
        md.append("![Parley against its targets](").append(svgName).append(")\n\n");
        md.append("## Targets\n\n");
        md.append(targets(bars)).append('\n');
        md.append("## Results\n\n");
        md.append("Median of the measured rounds, with the lowest and highest in brackets. The implementations take "
                + "turns within each round (a different one first each round), so a ratio is the median of the "
                + "per-round ratios, with their range.\n\n");
        md.append(resultsTable()).append('\n');
        md.append(failures());
        if (!codec.isEmpty()) {
            md.append("## Codec and engine (JMH, -prof gc)\n\n");
            md.append(codecTable()).append('\n');
        }
        md.append(Notes.TEXT);
        return md.toString();
    }

    /** The runs that failed (no figure) and the scenarios that did not run, if any. */
    private String failures() {
        StringBuilder md = new StringBuilder();
        List<String> missing = Metric.SCENARIOS.stream()
                .filter(s -> rows.stream().noneMatch(r -> r.scenario().equals(s))).toList();
        if (failures.isEmpty() && (missing.isEmpty() || missing.size() == Metric.SCENARIOS.size())) {
            return "";
        }
        md.append("## Failed runs\n\nA failed run gives no figure; its round is left out of the medians above.\n\n");
        if (!failures.isEmpty()) {
            md.append("| scenario | implementation | run | failure |\n|---|---|---|---|\n");
            for (String line : failures) {
                String[] f = line.split("\t", 4);
                md.append("| ").append(java.util.Arrays.stream(f).map(x -> x.replace("|", "\\|"))
                        .collect(java.util.stream.Collectors.joining(" | "))).append(" |\n");
            }
        }
        if (!missing.isEmpty() && missing.size() < Metric.SCENARIOS.size()) {
            md.append("\nNo figures at all for: ").append(String.join(", ", missing))
                    .append(" (see the output of bench/run).\n");
        }
        return md.append('\n').toString();
    }

    /** The short form for the README: the targets and the main figure of each scenario. */
    private String summary(String pageName) {
        StringBuilder md = new StringBuilder();
        md.append("Run of ").append(info.date()).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, ").append(System.getProperty("java.vm.vendor")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" (full page: ").append(pageName)
                .append(").\n\n");
        md.append(targets(new ArrayList<>())).append('\n');
        md.append("| scenario | metric |");
        for (Impl impl : Impl.values()) {
            md.append(' ').append(impl.title()).append(" |");
        }
        md.append("\n|---|---|").append("---:|".repeat(Impl.values().length)).append('\n');
        for (Metric metric : Metric.ALL) {
            if (!Metric.PRIMARY.contains(metric.scenario() + "/" + metric.name())) {
                continue;
            }
            md.append("| ").append(metric.scenario()).append(" | ").append(metric.name())
                    .append(metric.higherIsBetter() ? " ↑" : " ↓").append(" |");
            for (Impl impl : Impl.values()) {
                Series series = Series.of(rows, metric, impl);
                md.append(' ').append(series.isEmpty() ? "–" : Numbers.format(series.median())).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** The targets table (also fills the chart's bars). */
    private String targets(List<Chart.Bar> bars) {
        StringBuilder md = new StringBuilder("| target | measured | range over rounds | verdict |\n|---|---|---|---|\n");
        for (Target target : Target.all()) {
            Series parley = Series.of(rows, target.metric(), Impl.PARLEY);
            if (parley.isEmpty() || target.peer() != null && Series.of(rows, target.metric(), target.peer()).isEmpty()) {
                md.append("| ").append(target.label()).append(" | not measured | | |\n");
                continue;
            }
            double measured;
            String range;
            if (target.peer() == null) {
                measured = parley.median();
                range = String.format(Locale.ROOT, "%.2f – %.2f %s", parley.min(), parley.max(), target.unit());
            } else {
                double[] ratios = parley.ratiosTo(Series.of(rows, target.metric(), target.peer()));
                measured = Series.Stats.median(ratios);
                range = String.format(Locale.ROOT, "%.2f – %.2f×", min(ratios), max(ratios));
            }
            boolean met = target.met(measured);
            md.append("| ").append(target.label()).append(" | ").append(target.describe(measured)).append(" | ")
                    .append(range).append(" | ").append(met ? "met" : "**missed**").append(" |\n");
            bars.add(new Chart.Bar(target.label(), target.headroom(measured), met, target.describe(measured)));
        }
        codecTarget(md, bars);
        return md.toString();
    }

    private void codecTarget(StringBuilder md, List<Chart.Bar> bars) {
        String label = "64-byte send + receive allocates only the message";
        // The pollMessage variant: the event wrapper that pollEvent adds is the driver's choice, not the codec's.
        JmhResults.Benchmark sendReceive = codec.stream()
                .filter(b -> b.name().endsWith("sendAndReceive64PollMessage")).findFirst().orElse(null);
        Double allocated = sendReceive == null ? null : sendReceive.secondary().get("gc.alloc.rate.norm");
        if (allocated == null) {
            md.append("| ").append(label).append(" | not measured | | |\n");
            return;
        }
        boolean met = allocated <= MESSAGE_ITSELF + 0.5;
        String text = String.format(Locale.ROOT, "%.0f B/op (message: %.0f B)", allocated, MESSAGE_ITSELF);
        md.append("| ").append(label).append(" (engine, JMH, pollMessage) | ").append(text).append(" | | ")
                .append(met ? "met" : "**missed**").append(" |\n");
        bars.add(new Chart.Bar("64-byte send+receive allocation", MESSAGE_ITSELF / Math.max(1, allocated), met, text));
    }

    private String resultsTable() {
        List<Impl> peers = List.of(Impl.RAW, Impl.NETTY, Impl.RSOCKET, Impl.WEBSOCKET);
        StringBuilder md = new StringBuilder("| scenario | metric |");
        for (Impl impl : Impl.values()) {
            md.append(' ').append(impl.title()).append(" |");
        }
        for (Impl peer : peers) {
            md.append(" Parley ÷ ").append(peer.title()).append(" |");
        }
        md.append("\n|---|---|").append("---:|".repeat(Impl.values().length + peers.size())).append('\n');
        for (Metric metric : Metric.ALL) {
            if (Series.of(rows, metric, Impl.PARLEY).isEmpty() && Series.of(rows, metric, Impl.RAW).isEmpty()) {
                continue;
            }
            md.append("| ").append(metric.scenario()).append(" | ").append(metric.name())
                    .append(metric.higherIsBetter() ? " ↑" : " ↓").append(" |");
            for (Impl impl : Impl.values()) {
                Series series = Series.of(rows, metric, impl);
                md.append(' ').append(series.isEmpty() ? "–" : Numbers.format(series.median()) + " ("
                        + Numbers.format(series.min()) + "–" + Numbers.format(series.max()) + ")").append(" |");
            }
            Series parley = Series.of(rows, metric, Impl.PARLEY);
            for (Impl peer : peers) {
                double[] ratios = parley.isEmpty() ? new double[0] : parley.ratiosTo(Series.of(rows, metric, peer));
                md.append(' ').append(!metric.ratios() || ratios.length == 0 ? "–"
                        : String.format(Locale.ROOT, "%.2f (%.2f–%.2f)", Series.Stats.median(ratios), min(ratios),
                        max(ratios))).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }

    private String codecTable() {
        StringBuilder md = new StringBuilder("| benchmark | operations/s (± 99.9%) | allocated B/op |\n|---|---:|---:|\n");
        for (JmhResults.Benchmark b : codec) {
            Double norm = b.secondary().get("gc.alloc.rate.norm");
            md.append("| ").append(b.name()).append(" | ").append(Numbers.format(b.score())).append(" ± ")
                    .append(Numbers.format(b.error())).append(" | ")
                    .append(norm == null ? "–" : String.format(Locale.ROOT, "%.1f", norm)).append(" |\n");
        }
        md.append("\nOne operation is one 64-byte message (one DATA frame of 68 bytes). A 64-byte array costs ")
                .append(String.format(Locale.ROOT, "%.0f", MESSAGE_ITSELF)).append(" B on the heap.\n");
        return md.toString();
    }

    private static double min(double[] values) {
        return java.util.Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return java.util.Arrays.stream(values).max().orElse(Double.NaN);
    }
}
