package io.parley.cli;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs a {@code parley} command in this JVM with captured output.
 *
 * @param status the exit status
 * @param out    standard output, by line
 * @param err    standard error, by line
 */
record InProcess(int status, List<String> out, List<String> err) {

    /** Runs {@code parley args...} with empty standard input. */
    static InProcess run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Main.run(args, new Streams(o, e, new BufferedReader(new StringReader(""))));
        }
        return new InProcess(status, out.toString(StandardCharsets.UTF_8).lines().toList(),
                err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    /** Both outputs, for assertion messages. */
    String transcript() {
        return "status " + status + "\nstdout:\n  " + String.join("\n  ", out) + "\nstderr:\n  "
                + String.join("\n  ", err);
    }
}
