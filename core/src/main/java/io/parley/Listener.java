package io.parley;

import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;

/**
 * A listening endpoint with a bounded queue of pending connection requests; each request joins the queue
 * only once it arrived whole. Several threads may accept at once; each request is decided exactly once.
 */
public interface Listener extends AutoCloseable {

    /** The address the listener is bound to (with the actual port if 0 was asked). */
    SocketAddress localAddress();

    /** Accepts the next pending request unconditionally, blocking until one arrives. */
    ParleyConnection accept() throws IOException;

    /**
     * Presents the next pending request to {@code condition} (WSAAccept), blocking until one arrives.
     *
     * @return the connection, when the condition accepted
     * @throws RequestRejectedException the condition rejected (or threw): the caller was refused
     * @throws RequestDeferredException the condition deferred: the request stays first in the queue
     * @throws MessageTooLargeException the condition's callee data exceeds the caller's limit: the caller
     *                                  was refused with DATA_TOO_LARGE and nothing was truncated
     * @throws ClosedException          the listener was closed (by {@link #close()}, or after the transport
     *                                  failed to accept fifty times in a row)
     */
    ParleyConnection accept(AcceptCondition condition) throws IOException;

    /** As {@link #accept(AcceptCondition)}, failing with {@link TimedOutException} if no request arrives in time. */
    ParleyConnection accept(AcceptCondition condition, Duration timeout) throws IOException;

    /** Requests pending now (arrived whole, not yet decided or deferred). */
    int pendingCount();

    /**
     * Stops listening: new transport connections are refused, pending requests are rejected with
     * SHUTTING_DOWN, and blocked accepts fail with {@link ClosedException}. Accepted connections live on.
     */
    @Override
    void close() throws IOException;
}
