package io.parley.cli;

import java.util.List;

/**
 * The server's disconnect data: {@code grand-total=<G>;counted=<N>;claimed=<C>;status=<ok|mismatch>}, the
 * running total after adding this client, the transactions the server counted on the connection, the total
 * the client claimed, and whether the two agree.
 *
 * @param grandTotal the running total over all clients, this one included
 * @param counted    the transactions the server processed on this connection (what was added)
 * @param claimed    the total the client sent as its disconnect data
 */
record GrandTotal(long grandTotal, long counted, long claimed) {

    /** True when the server's count and the client's claim agree. */
    boolean reconciled() {
        return counted == claimed;
    }

    /** {@code ok} or {@code mismatch}. */
    String status() {
        return reconciled() ? "ok" : "mismatch";
    }

    /** The disconnect data. */
    byte[] encode() {
        return Text.utf8(Fields.format("grand-total", Long.toString(grandTotal), "counted", Long.toString(counted),
                "claimed", Long.toString(claimed), "status", status()));
    }

    /** Reads the server's disconnect data, checking that its status agrees with its numbers. */
    static GrandTotal parse(byte[] data) throws WireFormatException {
        List<String> values = Fields.parse(data, "the server's disconnect data",
                "grand-total", "counted", "claimed", "status");
        GrandTotal answer = new GrandTotal(Text.decimal(values.get(0), "grand-total"),
                Text.decimal(values.get(1), "counted"), Text.decimal(values.get(2), "claimed"));
        if (!answer.status().equals(values.get(3))) {
            throw new WireFormatException("status=" + values.get(3) + " contradicts counted=" + answer.counted
                    + " and claimed=" + answer.claimed);
        }
        return answer;
    }
}
