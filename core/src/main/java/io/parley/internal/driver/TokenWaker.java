package io.parley.internal.driver;

import java.time.Duration;

/**
 * Reports a connection's state again once the granted token rate will have refilled what a send lacks, so that
 * FD_WRITE comes back with the tokens when nothing else would report (the peer reads, nobody sends). One
 * sleeping virtual thread at most; a sooner time re-arms it, {@link #stop()} ends it. Guarded by the
 * connection's lock.
 */
final class TokenWaker {
    private final ConnectionState state;
    private Thread sleeper;
    private long wakeAt;
    private boolean stopped;

    /** The waker of the connection whose state this is. */
    TokenWaker(ConnectionState state) {
        this.state = state;
    }

    /** Reports again {@code delay} nanoseconds from now, unless a sooner report is due already. Lock held. */
    void reportAfter(long delay) {
        long at = System.nanoTime() + Math.min(delay, Long.MAX_VALUE / 4);
        if (stopped || sleeper != null && at - wakeAt >= 0) {
            return;
        }
        wakeAt = at;
        if (sleeper == null) {
            sleeper = Thread.ofVirtual().name("parley-tokens-" + state.stream.label()).start(this::sleep);
        } else {
            sleeper.interrupt(); // it recomputes its sleep from the new time
        }
    }

    /** Ends the sleeping thread, if any, at once: the connection ended. Lock held. */
    void stop() {
        stopped = true;
        if (sleeper != null) {
            sleeper.interrupt();
        }
    }

    private void sleep() {
        while (true) {
            long left;
            state.lock();
            try {
                left = wakeAt - System.nanoTime();
                if (stopped || left <= 0) {
                    sleeper = null;
                    if (!stopped) {
                        state.signalChange();
                    }
                    return;
                }
            } finally {
                state.unlock();
            }
            try {
                Thread.sleep(Duration.ofNanos(left));
            } catch (InterruptedException rearmedOrStopped) {
                // the loop reads the new time, or the stop
            }
        }
    }
}
