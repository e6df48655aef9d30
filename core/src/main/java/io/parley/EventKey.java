package io.parley;

import java.util.Set;

/**
 * One source's registration with an {@link EventWaiter} (WSAEventSelect): the events it is asked to report
 * and those recorded since they were last taken. A source has at most one registration: registering it
 * again, with any waiter, cancels the earlier one.
 */
public interface EventKey {

    /**
     * The registered connection, listener or pending connect.
     *
     * @return the registered connection, listener or pending connect
     */
    Object source();

    /**
     * The object given at registration, or null.
     *
     * @return the object given at registration, or null
     */
    Object attachment();

    /**
     * The events this registration reports.
     *
     * @return the events this registration reports
     */
    Set<NetworkEvent> interest();

    /**
     * Replaces the events reported, as WSAEventSelect again does: what was recorded is cleared, and every
     * event whose condition holds now is recorded at once.
     *
     * @param events the events to report
     * @throws IllegalArgumentException an event the source cannot report
     * @throws IllegalStateException    the registration was cancelled
     */
    void interest(Set<NetworkEvent> events);

    /**
     * Takes the events recorded since the last call, with their error codes, and clears them
     * (WSAEnumNetworkEvents); the key stays among the waiter's ready keys until this is called.
     *
     * @return the events recorded, {@link NetworkEvents#NONE} if none
     */
    NetworkEvents takeEvents();

    /**
     * True until {@link #cancel()}, until the waiter closed, until the source was registered again or until
     * the source was closed (closing a socket ends its event selection).
     *
     * @return true while the registration reports events
     */
    boolean isValid();

    /** Ends the registration: nothing more is recorded, and the waiter forgets it. Cancelling twice does nothing. */
    void cancel();
}
