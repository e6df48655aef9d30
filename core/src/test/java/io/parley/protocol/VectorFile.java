package io.parley.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.fail;

/** Reads a tab-separated vector file from docs/vectors: one row per line, '#' lines are comments. */
final class VectorFile {

    private VectorFile() {
    }

    /** The docs directory, relative to the core module's base directory (Maven runs tests there). */
    static Path docs(String... more) {
        Path path = Path.of("..", "docs").resolve(Path.of("", more));
        if (!Files.exists(path)) {
            fail("missing " + path.toAbsolutePath().normalize() + ": the tests read the protocol's vectors and "
                    + "specification from docs/ (run them from the core module, as Maven does)");
        }
        return path;
    }

    /** The rows of docs/vectors/{name}, each with exactly {@code columns} columns. */
    static List<String[]> rows(String name, int columns) throws IOException {
        List<String[]> rows = new ArrayList<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(docs("vectors", name), StandardCharsets.UTF_8)) {
            lineNumber++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] row = line.split("\t", -1);
            if (row.length != columns) {
                fail(name + " line " + lineNumber + " has " + row.length + " columns, expected " + columns);
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            fail(name + " has no vectors");
        }
        return rows;
    }
}
