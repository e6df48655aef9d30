package io.parley.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The protocol's test vectors (docs/vectors/*.tsv, written by generate.py) read as fuzzing seeds, so the
 * fuzzers start from every frame, error and engine script the specification's own examples cover and the
 * seeds stay in step with the vectors without copies to maintain.
 */
final class Vectors {
    static final HexFormat HEX = HexFormat.of();
    /** The preamble of protocol version 1. */
    static final byte[] PREAMBLE_V1 = HEX.parseHex("8f5041524c45590a0101");

    /** One vector: its name and columns. */
    record Row(String name, String[] columns) {
    }

    private Vectors() {
    }

    /** The rows of docs/vectors/{file}, comments and blank lines skipped. */
    static List<Row> rows(String file) {
        Path path = Path.of("..", "docs", "vectors", file);
        try {
            List<Row> rows = new ArrayList<>();
            for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] columns = line.split("\t", -1);
                    rows.add(new Row(columns[0], columns));
                }
            }
            if (rows.isEmpty()) {
                throw new IllegalStateException(path + " has no vectors");
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("the fuzz seeds are read from " + path.toAbsolutePath().normalize()
                    + " (run the tests from the core module, as Maven does)", e);
        }
    }

    static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        byte[] joined = new byte[size];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, joined, at, part.length);
            at += part.length;
        }
        return joined;
    }
}
