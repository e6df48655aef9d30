package io.parley.cli;

/**
 * One transaction: the client sends the message {@code txn <i>} (i counting from 1), the server counts it
 * and answers {@code ack <i>}. Both are UTF-8 with one space and a decimal number.
 */
final class Transaction {

    private Transaction() {
    }

    /** The client's request message for transaction {@code i}. */
    static byte[] request(long i) {
        return Text.utf8("txn " + i);
    }

    /** The server's acknowledgement of transaction {@code i}. */
    static byte[] ack(long i) {
        return Text.utf8("ack " + i);
    }

    /** The number of a request message. */
    static long parseRequest(byte[] message) throws WireFormatException {
        return parse(message, "txn ", "a transaction request");
    }

    /** The number of an acknowledgement. */
    static long parseAck(byte[] message) throws WireFormatException {
        return parse(message, "ack ", "an acknowledgement");
    }

    private static long parse(byte[] message, String prefix, String what) throws WireFormatException {
        String text = Text.decode(message, what);
        if (!text.startsWith(prefix)) {
            throw new WireFormatException("expected " + what + " '" + prefix + "<n>', not " + Text.quote(message));
        }
        return Text.decimal(text.substring(prefix.length()), "the number of " + what);
    }
}
