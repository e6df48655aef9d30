package io.parley;

import io.parley.internal.events.Waiter;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Waits on the network events of many connections, listeners and pending connects at once, from one thread
 * (WSAWaitForMultipleEvents over the event objects of WSAEventSelect) [E4]. Each registration records its
 * events as they occur; a key is ready while it has recorded events nobody took yet. A waiter is usually
 * paired with non-blocking sources ({@code configureBlocking(false)}), so that acting on an event never
 * blocks. Registration, cancelling and {@link #wakeup()} are safe from any thread.
 */
public interface EventWaiter extends AutoCloseable {

    /**
     * A new waiter.
     *
     * @return a new waiter with no registrations
     */
    static EventWaiter open() {
        return new Waiter();
    }

    /**
     * Reports {@code events} of {@code connection}; those whose condition holds now are recorded at once.
     *
     * @param connection a connection from a Parley transport
     * @param events     any of READ, WRITE, CLOSE and QOS
     * @param attachment an object to find again on the key, or null
     * @return the registration
     * @throws IllegalArgumentException an event a connection cannot report, or a connection of no Parley transport
     * @throws ClosedException          the waiter, or the connection, was closed
     */
    EventKey register(ParleyConnection connection, Set<NetworkEvent> events, Object attachment) throws ClosedException;

    /**
     * Reports FD_ACCEPT of {@code listener}: recorded when a request is waiting, again after each accept
     * while one still is.
     *
     * @param listener   a listener from a Parley transport
     * @param attachment an object to find again on the key, or null
     * @return the registration
     * @throws IllegalArgumentException a listener of no Parley transport
     * @throws ClosedException          the waiter, or the listener, was closed
     */
    EventKey register(Listener listener, Object attachment) throws ClosedException;

    /**
     * Reports FD_CONNECT of {@code connect}, recorded once it finished with its error code.
     *
     * @param connect    a connect started with {@link Transport#startConnect}
     * @param attachment an object to find again on the key, or null
     * @return the registration
     * @throws IllegalArgumentException a connect not started by a Parley transport
     * @throws ClosedException          the waiter was closed, or the connect cancelled
     */
    EventKey register(PendingConnect connect, Object attachment) throws ClosedException;

    /**
     * Waits until a key is ready or {@link #wakeup()} is called, and returns the ready keys.
     *
     * @return the keys with recorded events, in the order they became ready; possibly none after a wake-up
     * @throws ClosedException the waiter was closed
     * @throws java.io.InterruptedIOException the waiting thread was interrupted
     */
    List<EventKey> await() throws IOException;

    /**
     * As {@link #await()}, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait; zero waits without bound
     * @return the ready keys; empty when the time passed, possibly empty after a wake-up
     * @throws ClosedException the waiter was closed
     * @throws java.io.InterruptedIOException the waiting thread was interrupted
     */
    List<EventKey> await(Duration timeout) throws IOException;

    /**
     * The ready keys now, without waiting.
     *
     * @return the keys with recorded events, possibly none
     * @throws ClosedException the waiter was closed
     */
    List<EventKey> poll() throws ClosedException;

    /**
     * Makes the current (or else the next) {@link #await} return, with the keys ready by then (WSASetEvent).
     */
    void wakeup();

    /**
     * Cancels every registration; a thread in {@link #await} gets {@link ClosedException}. The sources stay
     * open. Closing twice does nothing.
     */
    @Override
    void close();
}
