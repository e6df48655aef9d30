package io.parley.internal.driver;

import io.parley.protocol.EngineState;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure a {@link StreamConnection} is read while no application thread reads it, so the close indication
 * arrives without anybody receiving: the callee's from the first byte until the application receives, and
 * any connection's once it was left unread for {@link #UNREAD_GRACE_NANOS}. The background reader hands
 * reading over to the application as soon as a thread waits in receive().
 *
 * <p>A connection left unread, or with a handshake deadline, is looked at by {@link ConnectionWatch#SHARED}:
 * it gets its background reader there, and a handshake whose deadline passed ends there, which wakes its
 * blocked reader by shutting the input down.
 */
final class BackgroundReader implements ConnectionWatch.Watched {
    private static final System.Logger LOG = System.getLogger("io.parley.driver");
    /**
     * How long a background reader started by the watch blocks in one read at first: an application thread
     * that comes to receive while it reads takes over when that read ends, even if no data arrives (an idle
     * connection then keeps one thread, not two). Each read that ends without data doubles the slice, up to
     * {@link #LONGEST_READ_SLICE_NANOS}, so a connection nobody receives from costs ever fewer wake-ups.
     */
    private static final long FIRST_READ_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long LONGEST_READ_SLICE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How long an open connection may stay unread before it gets a background reader. */
    private static final long UNREAD_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final ConnectionState state;
    private final ConnectionReader reader;
    /** Writes what the engine answered to a timeout, or a preamble held back for a slow decision. */
    private final ConnectionWriter writer;
    /** The background reader runs (it holds the permit or is about to take it). */
    private boolean backgroundReading;
    /** Application threads waiting in receive() while another thread reads. */
    private int receiversWaiting;
    /** When the permit was last left free with nobody reading (from the start: a connect's first write counts). */
    private long unreadSince = System.nanoTime();
    /** Registered with {@link ConnectionWatch#SHARED}. */
    private boolean watched;
    /** How long the watch-started background reader's next read may block. */
    private long readSliceNanos = FIRST_READ_SLICE_NANOS;

    /** The background reading of the connection whose state, reader and writer these are. */
    BackgroundReader(ConnectionState state, ConnectionReader reader, ConnectionWriter writer) {
        this.state = state;
        this.reader = reader;
        this.writer = writer;
    }

    /**
     * Starts a callee's first reader, which reads until the request is complete and then stops, and has
     * {@link ConnectionWatch#SHARED} look after the connection from then on.
     */
    void startRequestReader() {
        state.lock();
        try {
            backgroundReading = true;
            watch();
            Thread.ofVirtual().name("parley-reader-" + state.stream.label()).start(() -> readInBackground(true));
        } finally {
            state.unlock();
        }
    }

    /** True while some thread holds the read permit or the background reader is about to take it. Lock held. */
    boolean hasReader() {
        return reader.isPermitTaken() || backgroundReading;
    }

    /** Waits while another thread reads; the background reader hands reading over when its read ends. */
    void awaitOtherReader(long deadline, String timeoutMessage) throws IOException {
        receiversWaiting++;
        try {
            state.awaitChange(deadline, timeoutMessage);
        } finally {
            receiversWaiting--;
        }
    }

    /** Starts the background reader unless it runs. Lock held. */
    private void startBackgroundReader() {
        if (!backgroundReading) {
            backgroundReading = true;
            Thread.ofVirtual().name("parley-reader-" + state.stream.label()).start(() -> readInBackground(false));
        }
    }

    /**
     * The background reader: reads while nobody else does, until the input ends, and hands reading over to
     * the application as soon as a thread waits in receive() (its next read is then that thread's own).
     *
     * @param untilRequest stop once the caller's request is complete (the callee's first reader)
     */
    private void readInBackground(boolean untilRequest) {
        state.lock();
        try {
            readSliceNanos = FIRST_READ_SLICE_NANOS;
            while (!reader.isPermitTaken() && !reader.isInputDone() && receiversWaiting == 0
                    && !(untilRequest && state.engine.state() != EngineState.AWAITING_REQUEST)) {
                // The callee's first reader blocks until the request (its deadline is the watch's business).
                long deadline = untilRequest ? Long.MAX_VALUE : System.nanoTime() + readSliceNanos;
                ConnectionReader.ReadOutcome outcome = reader.readHoldingLock(deadline, false);
                if (outcome == ConnectionReader.ReadOutcome.ENDED
                        || outcome == ConnectionReader.ReadOutcome.BYTES && !awaitInboundRoom()) {
                    break;
                }
                readSliceNanos = outcome == ConnectionReader.ReadOutcome.TIMED_OUT
                        ? Math.min(LONGEST_READ_SLICE_NANOS, 2 * readSliceNanos)
                        : FIRST_READ_SLICE_NANOS;
            }
        } finally {
            backgroundReading = false;
            state.changed.signalAll();
            leaveUnread();
            state.unlock();
        }
    }

    /**
     * Waits while the application has more unread than the receive buffer; false if reading should stop.
     * Lock held.
     */
    private boolean awaitInboundRoom() {
        try {
            while (state.inboundBytes > state.settings.receiveBufferSize() && !state.closedByApp && state.ending == null) {
                state.changed.await();
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Called with the lock held by a thread that stops reading: if the connection is open and nobody else
     * reads, {@link ConnectionWatch#SHARED} gives it a background reader unless somebody reads again soon.
     */
    void leaveUnread() {
        if (isUnread()) {
            unreadSince = System.nanoTime();
            watch();
        }
    }

    private boolean isUnread() {
        return !reader.isPermitTaken() && !backgroundReading && receiversWaiting == 0 && !state.closedByApp
                && !reader.isInputDone();
    }

    /** Hands this connection to {@link ConnectionWatch#SHARED} unless it is watched already. Lock held. */
    void watch() {
        if (!watched) {
            watched = true;
            ConnectionWatch.SHARED.watch(this);
        }
    }

    private boolean hasHandshakeDeadline() {
        return state.engine.deadline() != Long.MAX_VALUE && !reader.isInputDone();
    }

    @Override
    public boolean check(long now) {
        boolean due;
        boolean timedOut = false;
        boolean covered = false;
        state.lock();
        try {
            if (state.answerHeldSince != 0 && now - state.answerHeldSince >= UNREAD_GRACE_NANOS) {
                state.answerHeldSince = 0;
                covered = true; // no answer within the grace period: what was held leaves alone
            }
            due = hasHandshakeDeadline() && now - state.engine.deadline() >= 0;
            if (due) {
                state.engine.handleTimeout(now); // a passed handshake deadline, or a deferred request's PENDING
                state.dispatch();
                timedOut = state.engine.state() == EngineState.CLOSED;
            } else if (isUnread() && now - unreadSince >= UNREAD_GRACE_NANOS) {
                startBackgroundReader();
                covered = true;
            }
            watched = hasHandshakeDeadline() || isUnread() || state.answerHeldSince != 0;
        } finally {
            state.unlock();
        }
        if (due || covered) {
            writer.flush(); // the answer to a timeout, a PENDING, or a preamble or ACCEPT held back past the grace
        }
        if (timedOut) {
            wakeBlockedReader();
        }
        return !watched;
    }

    /**
     * After a handshake timeout (the engine ended): a reader blocked in the stream returns at once. Shutting
     * the input down is the one way to end a blocked read without closing the stream, whose output still
     * carries the abort.
     */
    private void wakeBlockedReader() {
        try {
            state.stream.shutdownInput();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "shutting the input of {0} down failed: {1}", state.stream, e.getMessage());
        }
    }
}
