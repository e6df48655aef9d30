package io.parley.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Every round's figures of one scenario; saved as a tab-separated file the report reads back. */
public final class Results {
    private final String scenario;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    /** Empty results of {@code scenario}. */
    public Results(String scenario) {
        this.scenario = scenario;
    }

    /** One figure of one round. */
    public record Row(String scenario, Impl impl, int round, String metric, double value) {
    }

    /** Adds a round's figures. */
    public void add(Impl impl, int round, Figures figures) {
        figures.values().forEach((metric, value) -> rows.add(new Row(scenario, impl, round, metric, value)));
    }

    /** Records that {@code impl} failed in {@code round} (-1: the warm-up): no figure for it. */
    public void fail(Impl impl, int round, Exception failure) {
        String where = round < 0 ? "warm-up" : "round " + (round + 1);
        String what = String.valueOf(failure).replace('\t', ' ').replace('\n', ' ');
        failures.add(scenario + "\t" + impl.id() + "\t" + where + "\t" + what);
    }

    /** True if any run failed. */
    public boolean anyFailed() {
        return !failures.isEmpty();
    }

    /** The rows. */
    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** Writes {@code DIR/<scenario>.tsv}. */
    public void save(Path dir) {
        StringBuilder text = new StringBuilder("# scenario\timpl\tround\tmetric\tvalue\n");
        for (Row row : rows) {
            text.append(String.format(Locale.ROOT, "%s\t%s\t%d\t%s\t%.6g%n", row.scenario, row.impl.id(),
                    row.round, row.metric, row.value));
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(scenario + ".tsv"), text);
            if (!failures.isEmpty()) {
                Files.write(dir.resolve(scenario + ".failures"), failures);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the rows of a file written by {@link #save}. */
    public static List<Row> load(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            rows.add(new Row(f[0], Impl.ofId(f[1]), Integer.parseInt(f[2]), f[3], Double.parseDouble(f[4])));
        }
        return rows;
    }
}
