package io.parley.cli;

/**
 * The steps of the reference scenario (docs: winsock-semantics, "The reference scenario"), each with its
 * number and the side that takes it. (5A) follows (5) but has no synchronisation with (6) to (8).
 */
enum Step {
    /** (1) The client ends its sending with its transaction total (WSASendDisconnect). */
    CLIENT_SENDS_TOTAL("(1)", Side.CLIENT),
    /** (2) The server gets the close indication (FD_CLOSE, recv 0, WSAEDISCON). */
    SERVER_CLOSE_INDICATION("(2)", Side.SERVER),
    /** (3) The server takes the client's total (WSARecvDisconnect). */
    SERVER_RECEIVES_TOTAL("(3)", Side.SERVER),
    /** (4) The server adds its count to the running total and stores it. */
    SERVER_ADDS("(4)", Side.SERVER),
    /** (5) The server ends its sending with the grand total (WSASendDisconnect). */
    SERVER_SENDS_GRAND_TOTAL("(5)", Side.SERVER),
    /** (5A) The server closes (closesocket), not waiting for the client. */
    SERVER_CLOSES("(5A)", Side.SERVER),
    /** (6) The client gets the close indication (FD_CLOSE). */
    CLIENT_CLOSE_INDICATION("(6)", Side.CLIENT),
    /**
     * (6A) The server's connection ends: gracefully once the client's acknowledgement of the grand total
     * arrived, unconfirmed if the transport ended first. Not a step of the seed's table: protocol v1's
     * acknowledged end.
     */
    SERVER_ENDS("(6A)", Side.SERVER),
    /** (7) The client takes the grand total (WSARecvDisconnect). */
    CLIENT_RECEIVES_GRAND_TOTAL("(7)", Side.CLIENT),
    /** (8) The client closes (closesocket). */
    CLIENT_CLOSES("(8)", Side.CLIENT);

    /** Which end of the connection takes a step. */
    enum Side {
        /** The totals client. */
        CLIENT,
        /** The totals server. */
        SERVER
    }

    private final String label;
    private final Side side;

    Step(String label, Side side) {
        this.label = label;
        this.side = side;
    }

    /** The number as the reference table writes it, such as {@code (5A)}. */
    String label() {
        return label;
    }

    /** The side that takes the step. */
    Side side() {
        return side;
    }
}
