package io.parley.cli;

/**
 * The client's disconnect data: its transaction total as a UTF-8 decimal number, such as {@code 7}
 * (see {@link Text#decimal}).
 */
final class ClientTotal {

    private ClientTotal() {
    }

    /** The disconnect data for a total. */
    static byte[] encode(long total) {
        return Text.utf8(Long.toString(total));
    }

    /** Reads the total from the client's disconnect data. */
    static long parse(byte[] data) throws WireFormatException {
        return Text.decimal(Text.decode(data, "the client's total"), "the client's total");
    }
}
