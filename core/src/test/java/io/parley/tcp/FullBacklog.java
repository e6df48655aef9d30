package io.parley.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP listener on 127.0.0.1 that never accepts, with its accept queue filled by raw connections: Linux then
 * drops further SYNs, so a connect to it neither succeeds nor fails until its own timeout passes.
 */
final class FullBacklog implements AutoCloseable {
    private static final int MAX_FILLERS = 16;
    private static final int FILLER_TIMEOUT_MILLIS = 200;

    private final ServerSocket server;
    private final List<Socket> fillers = new ArrayList<>();

    /** Fills the queue until a raw connect times out; fails if none does within {@value #MAX_FILLERS}. */
    FullBacklog() throws IOException {
        server = new ServerSocket(0, 1, LoopbackFixture.LOOPBACK);
        try {
            fill();
        } catch (IOException | AssertionError e) {
            close();
            throw e;
        }
    }

    private void fill() throws IOException {
        for (int i = 0; i < MAX_FILLERS; i++) {
            Socket filler = new Socket();
            try {
                filler.connect(address(), FILLER_TIMEOUT_MILLIS);
                fillers.add(filler);
            } catch (SocketTimeoutException e) {
                filler.close();
                return;
            }
        }
        throw new AssertionError("the accept queue took " + MAX_FILLERS + " connections and still answered");
    }

    /** The listener's address. */
    InetSocketAddress address() {
        return new InetSocketAddress(LoopbackFixture.LOOPBACK, server.getLocalPort());
    }

    @Override
    public void close() throws IOException {
        for (Socket filler : fillers) {
            filler.close();
        }
        server.close();
    }
}
