package io.parley.bench.harness;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * An implementation's connection setup alone, used by the idle and flood scenarios: a server whose
 * condition checks the 16 bytes of caller data and answers with 16 bytes of callee data (or its nearest
 * equivalent), then holds the connection until the client ends it; and a blocking client connect that
 * returns once the server's decision arrived. Either side may be used alone (the idle scenario runs the
 * server in another process).
 */
public interface HandshakePeer extends AutoCloseable {

    /**
     * Starts the server on 127.0.0.1. A connection that has not completed its request within
     * {@code handshakeTimeout} is closed by the server.
     */
    InetSocketAddress startServer(Duration handshakeTimeout, FailureLatch failures) throws Exception;

    /** Requests the server's condition accepted so far. */
    long accepted();

    /** Connects and returns once the server accepted, with its callee data checked; closing ends it. */
    AutoCloseable connect(InetSocketAddress server) throws Exception;

    /** The first half of this implementation's opening bytes: what a stalled client sends before it stops. */
    byte[] halfRequest();

    /** Stops the server and the client side, ending any connection still open. */
    @Override
    void close() throws Exception;
}
