package io.parley.internal.driver;

import io.parley.CloseIndication;
import io.parley.Linger;
import io.parley.ReasonCode;
import io.parley.TimedOutException;
import io.parley.protocol.EngineState;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Closes a {@link StreamConnection} as its linger setting says: gracefully (deliver what is queued, await the
 * peer's acknowledgement and end, close), on a closer thread or in the closing thread, or by a reset.
 */
final class ConnectionCloser {
    private static final System.Logger LOG = System.getLogger("io.parley.driver");
    private static final long MAX_DRAIN_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final ConnectionState state;
    /** Reads the peer's end before the stream closes. */
    private final ConnectionReader reader;
    /** Tells whether another thread reads meanwhile. */
    private final BackgroundReader background;
    /** Delivers what is queued before the transport closes. */
    private final ConnectionWriter writer;

    /** The closer of the connection whose state, reading and writer these are. */
    ConnectionCloser(ConnectionState state, ConnectionReader reader, BackgroundReader background,
                     ConnectionWriter writer) {
        this.state = state;
        this.reader = reader;
        this.background = background;
        this.writer = writer;
    }

    /** As {@link io.parley.ParleyConnection#close()}. */
    void close() throws IOException {
        Linger linger = state.settings.linger();
        state.lock();
        try {
            if (!state.markClosedByApp()) {
                return;
            }
            state.inbound.clear();
            state.inboundBytes = 0;
            state.changed.signalAll();
            // Also when the peer's DISCONNECT said it closed: its data is discarded there, but without ours
            // the peer sees the transport end without a disconnect and reports an abort, not a graceful end.
            if (linger.mode() != Linger.Mode.ABORTIVE && !state.engine.isSendingDone() && isOpenState()) {
                state.engine.sendDisconnect(ConnectionState.EMPTY, !state.engine.isReceivingDone());
                state.dispatch();
            }
        } finally {
            state.unlock();
        }
        switch (linger.mode()) {
            case ABORTIVE -> state.reset(new CloseIndication(CloseIndication.Kind.ABORTED,
                    ReasonCode.APPLICATION_ABORT, "closed abortively (linger 0)"));
            case DONT_LINGER -> {
                long deadline = System.nanoTime() + state.settings.drainTimeout().toNanos();
                if (writer.isFinishedAndFlushed()) {
                    finishGracefully(deadline); // nothing left to wait for: no closer thread, no timed wait
                } else {
                    Thread.ofVirtual().name("parley-closer").start(() -> finishGracefully(deadline));
                }
            }
            case BOUNDED -> {
                if (!finishGracefully(System.nanoTime() + linger.timeout().toNanos())) {
                    throw new TimedOutException("linger timeout of " + linger.timeout().toMillis()
                            + " ms passed before delivery; the connection was reset");
                }
            }
        }
    }

    /** As {@link io.parley.ParleyConnection#abort(String)}. */
    void abort(String reason) throws IOException {
        state.lock();
        try {
            if (state.engine.state() == EngineState.CLOSED) {
                return;
            }
            state.requireNotClosed();
            state.closedByApp = true;
            state.inbound.clear();
            state.engine.abort(ReasonCode.APPLICATION_ABORT, reason);
            state.dispatch();
        } finally {
            state.unlock();
        }
        finishInBackground();
    }

    /** Closes a connection that was never handed to the application. */
    void discard() {
        state.lock();
        try {
            if (!state.markClosedByApp()) {
                return;
            }
            state.changed.signalAll();
        } finally {
            state.unlock();
        }
        finishInBackground();
    }

    private void finishInBackground() {
        Thread.ofVirtual().name("parley-closer")
                .start(() -> finishGracefully(System.nanoTime() + state.settings.drainTimeout().toNanos()));
    }

    private boolean isOpenState() {
        return state.engine.state() == EngineState.OPEN || state.engine.state() == EngineState.RECEIVE_CLOSED;
    }

    /**
     * Delivers what is queued (this side's DISCONNECT, the DISCONNECT_ACK of the peer's), waits for the peer's
     * end (the acknowledgement of this side's DISCONNECT, the peer's DISCONNECT: so that no unread data makes
     * the kernel reset the connection), delivers the acknowledgement that answer needs, then closes the
     * stream. Resets instead if the deadline passes: unconfirmed if only the acknowledgement was missing.
     *
     * @return true if everything completed before the deadline
     */
    private boolean finishGracefully(long deadline) {
        if (!writer.isFinishedAndFlushed() && !awaitPeerEnd(new FinishDeadline(deadline))) {
            return false;
        }
        if (needsDrain()) {
            drainInput(Math.min(deadline, System.nanoTime() + MAX_DRAIN_AFTER_FAILURE_NANOS));
        }
        state.closeStream();
        state.lock();
        try {
            CloseIndication outcome = state.ending != null ? state.ending : new CloseIndication(
                    CloseIndication.Kind.ABORTED, ReasonCode.TRANSPORT_CLOSED, "closed before the peer's disconnect arrived");
            state.runAfterUnlock(() -> {
                state.closeIndication.complete(outcome);
                state.termination.complete(outcome);
            });
        } finally {
            state.unlock();
        }
        return true;
    }

    /**
     * The waits of {@link #finishGracefully}, untimed: {@code guard} ends them at its deadline by resetting
     * the connection.
     *
     * @return false if the deadline passed first (the connection was reset)
     */
    private boolean awaitPeerEnd(FinishDeadline guard) {
        ConnectionWatch.SHARED.watch(guard);
        boolean uninterrupted = writer.awaitFlushed();
        // No half-close while the acknowledgement is awaited: nothing the peer does depends on our FIN, which
        // the close sends. One system call less, and the peer, which closes first, keeps the TIME_WAIT.
        if (uninterrupted && !writer.isFinishedAndFlushed()) {
            uninterrupted = awaitInputDone(guard) && writer.awaitFlushed();
        }
        if (!uninterrupted) {
            guard.expire(); // an interrupted linger ends as its deadline would
        }
        return guard.finish();
    }

    /**
     * The linger or drain deadline of one graceful finish, kept by {@link ConnectionWatch#SHARED} instead of by
     * timed reads and waits: each of those costs a timer in the JDK's scheduler, and usually a thread wake-up,
     * which every closing connection would pay. At the deadline the watch resets the connection, which ends
     * the closer's read or wait at once.
     */
    private final class FinishDeadline implements ConnectionWatch.Watched {
        private final long deadline;
        /** The finish completed or the deadline passed: only one of them acts. Lock held. */
        private boolean decided;
        /** The deadline passed before the finish completed. Lock held. */
        private boolean passed;

        FinishDeadline(long deadline) {
            this.deadline = deadline;
        }

        @Override
        public boolean check(long now) {
            if (now - deadline >= 0) {
                expire();
            }
            state.lock();
            try {
                return decided;
            } finally {
                state.unlock();
            }
        }

        /** Resets the connection as a passed deadline does, unless the finish completed first. */
        void expire() {
            state.lock();
            try {
                if (decided) {
                    return;
                }
                decided = true;
                passed = true;
            } finally {
                state.unlock();
            }
            state.reset(new CloseIndication(isAwaitingAcknowledgement() ? CloseIndication.Kind.UNCONFIRMED
                    : CloseIndication.Kind.ABORTED, ReasonCode.TIMED_OUT,
                    "the peer did not finish within the linger or drain timeout"));
        }

        /** True while the waits go on. Lock held. */
        boolean isRunning() {
            return !passed;
        }

        /** Ends the watch; false if the deadline passed first. */
        boolean finish() {
            state.lock();
            try {
                decided = true;
                return !passed;
            } finally {
                state.unlock();
            }
        }
    }

    private boolean isAwaitingAcknowledgement() {
        state.lock();
        try {
            return state.engine.state() == EngineState.CLOSING;
        } finally {
            state.unlock();
        }
    }

    /**
     * Waits until nothing more is to be read (or the deadline passed), reading itself while nobody else does;
     * false if the waiting thread was interrupted.
     */
    private boolean awaitInputDone(FinishDeadline guard) {
        state.lock();
        try {
            while (!reader.isInputDone() && guard.isRunning()) {
                if (background.hasReader()) {
                    if (!state.awaitUntil(Long.MAX_VALUE)) {
                        return false;
                    }
                } else {
                    reader.readHoldingLock(Long.MAX_VALUE, false);
                }
            }
            return true;
        } finally {
            state.unlock();
        }
    }

    /**
     * After a refusal or abort the peer may still have bytes in flight (the rest of an oversized request);
     * closing with them unread would make the kernel reset the connection and destroy our answer.
     */
    private boolean needsDrain() {
        state.lock();
        try {
            return state.ending != null && !state.ending.isGraceful() && !state.engine.isTransportEnded() && !state.broken;
        } finally {
            state.unlock();
        }
    }

    private void drainInput(long deadline) {
        state.lock();
        try {
            if (!reader.tryTakePermit()) {
                // A thread parked in its read has nothing unread behind it: closing cannot reset, and it wakes it.
                return;
            }
        } finally {
            state.unlock();
        }
        byte[] sink = new byte[ConnectionReader.READ_BUFFER];
        try {
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return;
                }
                reader.setReadTimeout((int) Math.min(Integer.MAX_VALUE, left));
                if (state.stream.read(sink, 0, sink.length) < 0) {
                    return;
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.TRACE, "drain ended on {0}: {1}", state.stream, e.getMessage());
        } finally {
            state.lock();
            try {
                reader.releasePermit();
                state.changed.signalAll(); // as after any read: a thread may wait for the permit
            } finally {
                state.unlock();
            }
        }
    }
}
