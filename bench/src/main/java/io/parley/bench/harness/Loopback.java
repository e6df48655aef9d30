package io.parley.bench.harness;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** The only addresses the benchmarks use: 127.0.0.1 (traffic never leaves the machine). */
public final class Loopback {
    /** 127.0.0.1. */
    public static final InetAddress ADDRESS = address();

    private Loopback() {
    }

    /** 127.0.0.1 with port 0 (a free port is picked). */
    public static InetSocketAddress anyPort() {
        return new InetSocketAddress(ADDRESS, 0);
    }

    private static InetAddress address() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
