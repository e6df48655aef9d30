package io.parley;

import io.parley.internal.tcp.TcpTransport;

/** Entry point: the available transports. */
public final class Parley {
    private static final Transport TCP = new TcpTransport();

    private Parley() {
    }

    /**
     * The TCP transport.
     *
     * @return the TCP transport
     */
    public static Transport tcp() {
        return TCP;
    }
}
