package io.parley.cli;

import java.util.List;

/**
 * The callee data of an accepted client: {@code server=<id>;running-total=<T>}, the server's identity and
 * the running total at the moment of accepting.
 *
 * @param serverId     the server's identity, without {@code ;} or {@code =}
 * @param runningTotal the running total when the client was accepted
 */
record Greeting(String serverId, long runningTotal) {

    /** The callee data. */
    byte[] encode() {
        return Text.utf8(Fields.format("server", serverId, "running-total", Long.toString(runningTotal)));
    }

    /** Reads the callee data. */
    static Greeting parse(byte[] data) throws WireFormatException {
        List<String> values = Fields.parse(data, "the callee data", "server", "running-total");
        return new Greeting(values.get(0), Text.decimal(values.get(1), "running-total"));
    }
}
