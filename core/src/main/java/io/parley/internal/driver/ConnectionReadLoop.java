package io.parley.internal.driver;

import io.parley.protocol.EngineState;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that reads a {@link StreamConnection}'s stream, from the handshake until the stream ends or
 * closes: application threads never read, they wait for what it queued. It pauses while the application
 * holds more than the receive buffer unread (so the peer's sending is held back by the transport), and ends
 * its loop when the input ends or the connection ended gracefully.
 *
 * <p>It also is the connection's part that {@link ConnectionWatch#SHARED} looks at, for what would otherwise
 * need a timed wait: a handshake deadline (which ends the handshake and wakes the blocked read), an answer
 * held back to leave with the next write (sent alone after {@link #HELD_ANSWER_GRACE_NANOS}), and, while
 * reading is paused, a KEEPALIVE every {@link #PROBE_INTERVAL_NANOS}: a reset transport fails that write, so
 * a peer's reset is noticed although the bytes before it are not read.
 */
final class ConnectionReadLoop implements ConnectionWatch.Watched {
    private static final System.Logger LOG = System.getLogger("io.parley.driver");
    /** How long an answer is held back for this side's next write before it leaves alone. */
    private static final long HELD_ANSWER_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** How often a paused reader's connection probes its transport with a KEEPALIVE. */
    static final long PROBE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final ConnectionState state;
    private final ConnectionReader reader;
    /** Writes what the engine answered to a timeout, an answer held too long, and the probes. */
    private final ConnectionWriter writer;
    /** Reading waits for the application to take messages. Lock held. */
    private boolean paused;
    /** When the last probe was encoded. Lock held. */
    private long lastProbe;
    /** Registered with {@link ConnectionWatch#SHARED}. Lock held. */
    private boolean watched;
    /** Where the thread is in its life. Lock held. */
    private Phase phase = Phase.NOT_STARTED;
    /** What the thread runs as its last step: the finish of a connection the application closed. Lock held. */
    private Runnable lastStep;

    private enum Phase { NOT_STARTED, RUNNING, ENDED }

    /** The read loop of the connection whose state, reader and writer these are. */
    ConnectionReadLoop(ConnectionState state, ConnectionReader reader, ConnectionWriter writer) {
        this.state = state;
        this.reader = reader;
        this.writer = writer;
    }

    /** Starts the reading thread; the watch keeps the handshake's deadline. */
    void start() {
        state.lock();
        try {
            phase = Phase.RUNNING;
            watch();
        } finally {
            state.unlock();
        }
        Thread.ofVirtual().name("parley-reader-" + state.stream.label()).start(this::run);
    }

    private void run() {
        // The loop is here, not in a helper: a parked reader's stack is what an idle connection holds on the
        // heap, so every frame on the way to the stream counts.
        boolean reading;
        do {
            state.lock();
            try {
                reading = !reader.isInputEnded() && !isGracefullyEnded() && awaitInboundRoom();
            } finally {
                state.unlock();
            }
        } while (reading && reader.readOnce());
        Runnable step;
        state.lock();
        try {
            phase = Phase.ENDED;
            step = lastStep;
        } finally {
            state.unlock();
        }
        if (step != null) {
            step.run();
        }
    }

    /**
     * Has this thread run {@code step} once it stopped reading (the peer's end was read, or the stream
     * ended): a closed connection's finish waits for exactly that, so it needs no thread of its own.
     *
     * @return false if the thread is not reading (not started, or ended): then the caller must run it
     */
    boolean runWhenDone(Runnable step) {
        state.lock();
        try {
            if (phase != Phase.RUNNING) {
                return false;
            }
            lastStep = step;
            return true;
        } finally {
            state.unlock();
        }
    }

    /**
     * True once both disconnects crossed: the peer sends nothing more, so there is nothing to drain (after any
     * other end the loop reads on to the end of the stream, so that closing finds nothing unread). Lock held.
     */
    private boolean isGracefullyEnded() {
        return state.ending != null && state.ending.isGraceful();
    }

    /**
     * Waits while the application has more unread than the receive buffer and the connection is open; false
     * if the thread was interrupted (nothing interrupts it but the JDK's shutdown). Lock held.
     */
    private boolean awaitInboundRoom() {
        try {
            while (state.inboundBytes > state.settings.receiveBufferSize() && state.use != ConnectionState.Use.CLOSED
                    && state.ending == null) {
                if (!paused) {
                    paused = true;
                    lastProbe = System.nanoTime();
                    watch();
                }
                state.changed.await();
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            paused = false;
        }
    }

    /** Wakes the reader if it paused for room and the application made some. Lock held. */
    void messageTaken() {
        if (paused && state.inboundBytes <= state.settings.receiveBufferSize()) {
            state.signalChange();
        }
    }

    /** Hands this connection to {@link ConnectionWatch#SHARED} unless it is watched already. Lock held. */
    void watch() {
        if (!watched && needsWatching()) {
            watched = true;
            ConnectionWatch.SHARED.watch(this);
        }
    }

    private boolean needsWatching() {
        return hasHandshakeDeadline() || state.answerHeldSince != 0 || paused;
    }

    private boolean hasHandshakeDeadline() {
        return state.engine.deadline() != Long.MAX_VALUE && !reader.isInputDone();
    }

    @Override
    public boolean check(long now) {
        boolean write = false;
        boolean timedOut = false;
        state.lock();
        try {
            if (state.answerHeldSince != 0 && now - state.answerHeldSince >= HELD_ANSWER_GRACE_NANOS) {
                state.answerHeldSince = 0;
                write = true; // no answer within the grace period: what was held leaves alone
            }
            if (hasHandshakeDeadline() && now - state.engine.deadline() >= 0) {
                state.engine.handleTimeout(now); // a passed handshake deadline, or a deferred request's PENDING
                state.dispatch();
                timedOut = state.engine.state() == EngineState.CLOSED;
                write = true;
            }
            if (paused && now - lastProbe >= PROBE_INTERVAL_NANOS && state.engine.pendingOutput() == 0) {
                state.engine.sendKeepalive();
                lastProbe = now;
                write = true;
            }
            watched = needsWatching();
        } finally {
            state.unlock();
        }
        if (write) {
            writer.flush();
        }
        if (timedOut) {
            wakeBlockedReader();
        }
        return !watched;
    }

    /**
     * After a handshake timeout (the engine ended): the read blocked in the stream returns at once, so the
     * connection can close without waiting for the peer. Shutting the input down is the one way to end a
     * blocked read without closing the stream, whose output still carries the abort.
     */
    private void wakeBlockedReader() {
        try {
            state.stream.shutdownInput();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "shutting the input of {0} down failed: {1}", state.stream, e.getMessage());
        }
    }
}
