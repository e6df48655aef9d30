package io.parley;

import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;

/**
 * A listening endpoint with a bounded queue of pending connection requests; each request joins the queue
 * only once it arrived whole. Several threads may accept at once; each request is decided exactly once.
 */
public interface Listener extends AutoCloseable {

    /**
     * The address the listener is bound to.
     *
     * @return the address, with the actual port if 0 was asked
     */
    SocketAddress localAddress();

    /**
     * Accepts the next pending request unconditionally, blocking until one arrives. Requests their callers
     * gave up while queued are passed over ({@link #accept(AcceptCondition)} reports them).
     *
     * @return the accepted connection
     * @throws ClosedException the listener was closed
     * @throws WouldBlockException non-blocking, and no request is waiting
     * @throws java.io.InterruptedIOException the accepting thread was interrupted
     * @throws IOException     any other failure of the transport
     */
    ParleyConnection accept() throws IOException;

    /**
     * Presents the next pending request to {@code condition} (WSAAccept), blocking until one arrives, and
     * carries out its decision. Every decision has its {@link AcceptResult}; a request its caller gave up
     * while it waited is reported, in its place in the queue, as {@link AcceptResult.Abandoned} without
     * calling the condition [A6].
     *
     * @param condition decides the request; runs on this thread
     * @return what became of the request
     * @throws ClosedException the listener was closed (by {@link #close()}, or after the transport failed to
     *                         accept fifty times in a row)
     * @throws WouldBlockException non-blocking, and no request is waiting
     * @throws java.io.InterruptedIOException the accepting thread was interrupted
     * @throws IOException     any other failure of the transport
     */
    AcceptResult accept(AcceptCondition condition) throws IOException;

    /**
     * As {@link #accept(AcceptCondition)}, waiting at most {@code timeout} for a request.
     *
     * @param condition decides the request; runs on this thread
     * @param timeout   how long to wait for a request; zero waits without bound
     * @return what became of the request
     * @throws TimedOutException no request arrived within {@code timeout}
     * @throws WouldBlockException non-blocking, and no request is waiting
     * @throws ClosedException   the listener was closed
     * @throws java.io.InterruptedIOException the accepting thread was interrupted
     * @throws IOException       any other failure of the transport
     */
    AcceptResult accept(AcceptCondition condition, Duration timeout) throws IOException;

    /**
     * Requests waiting for a decision now: queued or deferred, their callers still waiting. Requests whose
     * callers gave them up are not counted, though accept still reports them in their place.
     *
     * @return the number of requests waiting
     */
    int pendingCount();

    /**
     * Makes accepting non-blocking (FIONBIO), or blocking again: non-blocking, an accept with no request
     * waiting throws {@link WouldBlockException} (WSAEWOULDBLOCK) at once; FD_ACCEPT tells when one is. The
     * condition still runs on the accepting thread. The connections it accepts start non-blocking too (as
     * accept gives a socket the listening socket's mode), and its answers are not written on the accepting
     * thread. Listeners start blocking.
     *
     * @param blocking false for non-blocking accepts
     */
    void configureBlocking(boolean blocking);

    /**
     * True while accepts wait for a request (the default).
     *
     * @return true while accepts wait for a request
     */
    boolean isBlocking();

    /**
     * Stops listening: new transport connections are refused, pending requests are rejected with
     * SHUTTING_DOWN, and blocked accepts fail with {@link ClosedException}. Accepted connections live on.
     *
     * @throws IOException closing the transport failed
     */
    @Override
    void close() throws IOException;
}
