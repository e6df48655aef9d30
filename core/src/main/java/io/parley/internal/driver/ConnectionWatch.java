package io.parley.internal.driver;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One virtual thread that looks at the connections handed to it every {@link #PERIOD_NANOS}, for the things a
 * connection would otherwise need a timed wait for: a handshake deadline, an answer held back for the next
 * write, the probe of a connection whose reading paused, and the linger or drain deadline of a connection
 * that is closing. A timed wait on a virtual thread costs a timer in the JDK's scheduler each time; this costs
 * one timer per period for all connections. The thread runs only while some connection is watched.
 */
final class ConnectionWatch {
    /** A connection that wants to be looked at. */
    interface Watched {
        /**
         * Acts on the time (a passed deadline, a connection left unread too long).
         *
         * @return true when the connection no longer needs watching
         */
        boolean check(long now);
    }

    /** The watch every connection shares: one thread, one timer per period, for all of them. */
    static final ConnectionWatch SHARED = new ConnectionWatch();

    /** How often the watched connections are looked at. */
    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final ConcurrentLinkedQueue<Watched> watched = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();

    /** Watches the connection until its {@link Watched#check} says it no longer needs it. */
    void watch(Watched connection) {
        watched.add(connection);
        if (running.compareAndSet(false, true)) {
            Thread.ofVirtual().name("parley-watch").start(this::run);
        }
    }

    private void run() {
        while (true) {
            try {
                TimeUnit.NANOSECONDS.sleep(PERIOD_NANOS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long now = System.nanoTime();
            watched.removeIf(connection -> connection.check(now));
            if (watched.isEmpty()) {
                running.set(false);
                // A connection added between the check and the reset started no thread: carry on for it.
                if (watched.isEmpty() || !running.compareAndSet(false, true)) {
                    return;
                }
            }
        }
    }
}
