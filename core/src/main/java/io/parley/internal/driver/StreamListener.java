package io.parley.internal.driver;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;

/**
 * The listening half of the transport seam: it accepts the byte streams of incoming connections, on which the
 * driver's {@link ConditionalListener} then runs the handshake.
 */
public interface StreamListener extends Closeable {

    /**
     * Waits for the next incoming stream.
     *
     * @return the accepted stream
     * @throws IOException accepting failed; once {@link #isClosed()} it is final, otherwise it may pass
     */
    ByteStream accept() throws IOException;

    /**
     * True once closed: an accept that fails then will never succeed again.
     *
     * @return true once closed
     */
    boolean isClosed();

    /**
     * Where this listener is bound.
     *
     * @return where this listener is bound
     */
    SocketAddress localAddress();

    /**
     * Closes the listener; an accept blocked in it fails, and no stream is accepted any more. Returns only
     * once new connections are no longer completed by the transport.
     */
    @Override
    void close() throws IOException;
}
