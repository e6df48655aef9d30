package io.parley;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * A connect started without blocking ({@link Transport#startConnect}); it finishes in the background, which
 * an {@link EventWaiter} reports as FD_CONNECT with the connect's error code [C4].
 */
public interface PendingConnect {

    /**
     * The callee's address.
     *
     * @return the address being connected to
     */
    SocketAddress remoteAddress();

    /**
     * True once the connect finished, accepted or not (or was cancelled).
     *
     * @return true once the connect finished
     */
    boolean isDone();

    /**
     * The connection once the callee accepted; the connect's failure if it failed. Never blocks.
     *
     * @return the open connection (the same one on every call)
     * @throws WouldBlockException the connect has not finished
     * @throws ClosedException     the connect was cancelled
     * @throws IOException         the connect's failure, as {@link Transport#connect} throws it
     */
    ParleyConnection finish() throws IOException;

    /**
     * Gives the connect up: a request still waiting for its answer is withdrawn (the callee reports it as
     * withdrawn [A6]); a connection accepted meanwhile is closed. Does nothing once {@link #finish()} returned
     * the connection.
     */
    void cancel();
}
