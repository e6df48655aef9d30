package io.parley.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * The standard streams a command uses, so that tests can run commands in-process.
 *
 * @param out standard output: the results
 * @param err standard error: errors and the server's log
 * @param in  standard input
 */
record Streams(PrintStream out, PrintStream err, BufferedReader in) {

    /** The process's own streams. */
    static Streams system() {
        return new Streams(System.out, System.err,
                new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset())));
    }
}
