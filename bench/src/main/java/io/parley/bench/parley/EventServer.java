package io.parley.bench.parley;

import io.parley.ClosedException;
import io.parley.EventKey;
import io.parley.EventWaiter;
import io.parley.ListenOptions;
import io.parley.NetworkEvent;
import io.parley.NetworkEvents;
import io.parley.Parley;
import io.parley.ParleyConnection;
import io.parley.WouldBlockException;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Loopback;

import java.io.IOException;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * A runnable sample of serving many connections from one platform thread: a Parley server whose listener and
 * connections are all non-blocking and registered with one {@link EventWaiter} (WSAEventSelect), and whose one
 * thread waits for their network events and acts on each without ever blocking. The application starts no
 * thread per connection; what one connection has done so far is kept in its key's attachment, a
 * {@link Session}.
 *
 * <p>The rules it relies on are Winsock's: one accept per FD_ACCEPT (recorded again after the accept while
 * more requests wait), one receive per FD_READ (recorded again after the receive while more messages wait),
 * FD_CLOSE once: with error 0 after every message before the peer's disconnect was received, with
 * WSAECONNRESET or WSAECONNABORTED at once when the connection broke. Used by the benchmark as
 * {@code Impl.PARLEY_EVENTS}, with the same clients, condition and checks as {@link ParleyServer}.
 */
final class EventServer extends ListeningServer {
    /** What each connection is registered for: messages and the end of the peer's sending. */
    private static final Set<NetworkEvent> READ_AND_CLOSE = EnumSet.of(NetworkEvent.READ, NetworkEvent.CLOSE);

    /** One connection's progress: what the server does with its events, kept in its key's attachment. */
    @FunctionalInterface
    interface Session {
        /**
         * Acts on the events recorded for the connection since the last call, without blocking: one receive
         * per READ; at CLOSE, the receive that returns null (it throws if the connection broke).
         *
         * @param connection the connection, non-blocking
         * @param events     what was recorded, each event with its error code
         * @return true once the connection is done: the server cancels its key and closes it
         * @throws Exception anything that makes the run fail; the server closes the connection
         */
        boolean onEvents(ParleyConnection connection, NetworkEvents events) throws Exception;
    }

    private final EventWaiter waiter = EventWaiter.open();
    private final Function<ParleyConnection, Session> sessions;
    private final FailureLatch failures;
    /** The connections accepted and not yet closed; only the event thread touches it. */
    private final Set<ParleyConnection> open = new HashSet<>();
    private final Thread eventThread;

    /**
     * Listens on a free loopback port and serves from one platform thread until {@link #close()}.
     *
     * @param options  the listener's options
     * @param sessions opens the session of each connection just accepted (on the event thread)
     * @param failures told of every failure: of the listener, of a session, and of any outcome of an accept but
     *                 an accept or an abandoned request
     * @throws IOException the listener could not be opened
     */
    EventServer(ListenOptions options, Function<ParleyConnection, Session> sessions, FailureLatch failures)
            throws IOException {
        super(Parley.tcp().listen(Loopback.anyPort(), options));
        this.sessions = sessions;
        this.failures = failures;
        listener.configureBlocking(false);
        waiter.register(listener, null);
        eventThread = Thread.ofPlatform().name("parley-event-server").daemon().start(this::run);
    }

    /** The event loop: wait for the ready keys, take each one's events, act on them; until the waiter closes. */
    private void run() {
        try {
            while (true) {
                for (EventKey key : waiter.await()) {
                    NetworkEvents events = key.takeEvents();
                    if (key.source() == listener) {
                        acceptOne(); // FD_ACCEPT, the listener's one event
                    } else {
                        serve(key, events);
                    }
                }
            }
        } catch (ClosedException e) {
            // close() closed the waiter
        } catch (IOException | RuntimeException e) {
            failures.fail(e);
        } finally {
            for (ParleyConnection connection : open) {
                closeConnection(connection);
            }
            open.clear();
        }
    }

    /**
     * Accepts one request (FD_ACCEPT comes again while more wait) and registers the connection. A request that
     * came with a first message records READ at once.
     */
    private void acceptOne() throws ClosedException {
        ParleyConnection connection;
        try {
            connection = CheckedAccept.next(listener, failures);
        } catch (ClosedException e) {
            return; // close() closed the listener; the waiter follows
        } catch (WouldBlockException e) {
            return; // nothing waits after all (a request given up and dropped)
        } catch (IOException e) {
            failures.fail(e);
            return;
        }
        if (connection == null) {
            return;
        }
        open.add(connection);
        waiter.register(connection, READ_AND_CLOSE, sessions.apply(connection));
    }

    /** Hands a connection's events to its session; a finished or failed connection is cancelled and closed. */
    private void serve(EventKey key, NetworkEvents events) {
        ParleyConnection connection = (ParleyConnection) key.source();
        boolean done;
        try {
            done = ((Session) key.attachment()).onEvents(connection, events);
        } catch (Exception e) {
            failures.fail(e);
            done = true;
        }
        if (done) {
            key.cancel(); // close() would end it too, as closesocket does
            open.remove(connection);
            closeConnection(connection);
        }
    }

    /** Closes {@code connection} (never blocks by default: what was queued is still delivered). */
    private void closeConnection(ParleyConnection connection) {
        try {
            connection.close();
        } catch (IOException e) {
            failures.fail(e);
        }
    }

    /** Closes the waiter, which ends the event thread; it closes every connection still open. */
    @Override
    protected void stopServing() throws InterruptedException {
        waiter.close();
        eventThread.join();
    }
}
