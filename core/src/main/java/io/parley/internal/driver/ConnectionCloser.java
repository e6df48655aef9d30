package io.parley.internal.driver;

import io.parley.CloseIndication;
import io.parley.Linger;
import io.parley.ReasonCode;
import io.parley.TimedOutException;
import io.parley.protocol.EngineState;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;

/**
 * Closes a {@link StreamConnection} as its linger setting says: gracefully (deliver what is queued, await the
 * peer's acknowledgement and end, close) in the closing thread, or after it returned on the read loop (which
 * reads that end) or on a closer thread once the read loop has ended; or by a reset.
 */
final class ConnectionCloser {
    private static final long MAX_DRAIN_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final ConnectionState state;
    /** Tells when the peer's end has been read. */
    private final ConnectionReader reader;
    /** Runs a graceful finish once it read the peer's end, which is what the finish waits for. */
    private final ConnectionReadLoop readLoop;
    /** Delivers what is queued before the transport closes. */
    private final ConnectionWriter writer;

    /** How a graceful finish came out. */
    private enum Finish { DONE, DEADLINE_PASSED, INTERRUPTED }

    /** The closer of the connection whose state, reading and writer these are. */
    ConnectionCloser(ConnectionState state, ConnectionReader reader, ConnectionReadLoop readLoop,
                     ConnectionWriter writer) {
        this.state = state;
        this.reader = reader;
        this.readLoop = readLoop;
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
            state.dropInbound();
            state.signalChange();
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
                    closeFinished(deadline); // nothing left to wait for: no closer thread, no timed wait
                } else {
                    // The finish waits for the peer's end, which the read loop reads: the read loop runs it.
                    FinishDeadline guard = watched(new FinishDeadline(deadline));
                    Runnable finish = () -> finishGuarded(guard);
                    if (readLoop.runWhenDone(finish)) {
                        writer.flush(); // what is queued (our DISCONNECT) must leave for the peer's end to come
                    } else {
                        Thread.ofVirtual().name("parley-closer").start(finish);
                    }
                }
            }
            case BOUNDED -> {
                switch (finishGracefully(System.nanoTime() + linger.timeout().toNanos())) {
                    case DONE -> { }
                    case DEADLINE_PASSED -> throw new TimedOutException("linger timeout of "
                            + linger.timeout().toMillis() + " ms passed before delivery; the connection was reset");
                    case INTERRUPTED -> throw new InterruptedIOException(
                            "interrupted while lingering; the connection was aborted");
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
            state.use = ConnectionState.Use.CLOSED;
            state.stopReporting();
            state.dropInbound();
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
            state.signalChange();
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
     * @return how it came out: done, or the deadline passed or the thread was interrupted first (then the
     *         connection was reset)
     */
    private Finish finishGracefully(long deadline) {
        if (writer.isFinishedAndFlushed()) {
            return closeFinished(deadline);
        }
        return finishGuarded(watched(new FinishDeadline(deadline)));
    }

    /** {@link #finishGracefully} once {@code guard} keeps its deadline. */
    private Finish finishGuarded(FinishDeadline guard) {
        Finish waited = awaitPeerEnd(guard);
        return waited == Finish.DONE ? closeFinished(guard.deadline) : waited;
    }

    private FinishDeadline watched(FinishDeadline guard) {
        ConnectionWatch.SHARED.watch(guard);
        return guard;
    }

    /** The finish's last step, once nothing is left to wait for: drain if needed, close, report. */
    private Finish closeFinished(long deadline) {
        if (needsDrain()) {
            drainInput(Math.min(deadline, System.nanoTime() + MAX_DRAIN_AFTER_FAILURE_NANOS));
        }
        state.closeStream();
        state.lock();
        try {
            CloseIndication outcome = state.ending != null ? state.ending : new CloseIndication(
                    CloseIndication.Kind.ABORTED, ReasonCode.TRANSPORT_CLOSED, "closed before the peer's disconnect arrived");
            state.outcome.terminate(outcome);
        } finally {
            state.unlock();
        }
        return Finish.DONE;
    }

    /**
     * The waits of {@link #finishGracefully}, untimed: {@code guard} ends them at its deadline by resetting
     * the connection.
     *
     * @return how it came out; unless done, the connection was reset
     */
    private Finish awaitPeerEnd(FinishDeadline guard) {
        boolean uninterrupted = writer.awaitFlushed();
        // No half-close while the acknowledgement is awaited: nothing the peer does depends on our FIN, which
        // the close sends. One system call less, and the peer, which closes first, keeps the TIME_WAIT.
        if (uninterrupted && !writer.isFinishedAndFlushed()) {
            uninterrupted = awaitInputDone(guard) && writer.awaitFlushed();
        }
        if (!uninterrupted) {
            guard.interrupted();
            return Finish.INTERRUPTED;
        }
        return guard.finish() ? Finish.DONE : Finish.DEADLINE_PASSED;
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
            if (stopFirst()) {
                state.reset(new CloseIndication(isAwaitingAcknowledgement() ? CloseIndication.Kind.UNCONFIRMED
                        : CloseIndication.Kind.ABORTED, ReasonCode.TIMED_OUT,
                        "the peer did not finish within the linger or drain timeout"));
            }
        }

        /** The waiting thread was interrupted: the connection is aborted, as every interrupted call aborts it. */
        void interrupted() {
            if (stopFirst()) {
                state.abortForInterrupt();
            }
        }

        /** Ends the waits before the finish completed; false if it had completed (or ended) already. */
        private boolean stopFirst() {
            state.lock();
            try {
                if (decided) {
                    return false;
                }
                decided = true;
                passed = true;
                return true;
            } finally {
                state.unlock();
            }
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
     * Waits until nothing more is to be read (the read loop took the peer's end) or the deadline passed;
     * false if the waiting thread was interrupted.
     */
    private boolean awaitInputDone(FinishDeadline guard) {
        state.lock();
        try {
            while (!reader.isInputDone() && guard.isRunning()) {
                if (!state.awaitUntil(Long.MAX_VALUE)) {
                    return false;
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

    /** Waits (until the deadline at most) for the read loop, which reads on after the end, to see the stream end. */
    private void drainInput(long deadline) {
        state.lock();
        try {
            while (!reader.isInputEnded() && state.awaitUntil(deadline)) {
                // the read loop signals when the input ends
            }
        } finally {
            state.unlock();
        }
    }
}
