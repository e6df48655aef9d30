package io.parley.internal.tcp;

import io.parley.CloseIndication;
import io.parley.Linger;
import io.parley.ReasonCode;
import io.parley.TimedOutException;
import io.parley.protocol.EngineState;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Closes a {@link TcpConnection} as its linger setting says: gracefully (deliver what is queued, await the
 * peer's acknowledgement and end, half-close once everything is sent, close), on a closer thread or in the
 * closing thread, or by a reset.
 */
final class ConnectionCloser {
    private static final System.Logger LOG = System.getLogger("io.parley.tcp");
    private static final long MAX_DRAIN_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final ConnectionState state;
    /** Reads the peer's end before the socket closes. */
    private final ConnectionReader reader;
    /** Tells whether another thread reads meanwhile. */
    private final BackgroundReader background;
    /** Delivers what is queued before the transport half-closes. */
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
     * Delivers what is queued, half-closes the transport once this side has sent everything (its DISCONNECT
     * and the DISCONNECT_ACK of the peer's), waits for the peer's end (the acknowledgement of this side's
     * DISCONNECT, the peer's DISCONNECT: so that no unread data makes the kernel reset the connection),
     * delivers the acknowledgement that answer needs, then closes the socket. Resets instead if the deadline
     * passes: unconfirmed if only the acknowledgement was missing.
     *
     * @return true if everything completed before the deadline
     */
    private boolean finishGracefully(long deadline) {
        boolean inTime = writer.awaitFlushed(deadline);
        if (inTime && !writer.isFinishedAndFlushed()) { // when finished, closing sends the FIN: one system call less
            if (isOutputComplete()) {
                shutdownOutput();
            }
            inTime = awaitInputDone(deadline) && writer.awaitFlushed(deadline);
        }
        if (inTime && needsDrain()) {
            drainInput(Math.min(deadline, System.nanoTime() + MAX_DRAIN_AFTER_FAILURE_NANOS));
        }
        if (!inTime) {
            state.reset(new CloseIndication(isAwaitingAcknowledgement() ? CloseIndication.Kind.UNCONFIRMED
                    : CloseIndication.Kind.ABORTED, ReasonCode.TIMED_OUT,
                    "the peer did not finish within the linger or drain timeout"));
            return false;
        }
        state.closeSocket();
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

    private boolean isOutputComplete() {
        state.lock();
        try {
            return state.engine.isOutputComplete();
        } finally {
            state.unlock();
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

    private void shutdownOutput() {
        try {
            if (!state.socket.isOutputShutdown() && !state.socket.isClosed()) {
                state.socket.shutdownOutput();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "half-close failed on {0}: {1}", state.socket, e.getMessage());
        }
    }

    /** Waits until nothing more is to be read, reading itself while nobody else does; false after the deadline. */
    private boolean awaitInputDone(long deadline) {
        state.lock();
        try {
            while (!reader.isInputDone()) {
                if (System.nanoTime() - deadline >= 0) {
                    return false;
                }
                if (background.hasReader()) {
                    if (!state.awaitUntil(deadline)) {
                        return false;
                    }
                } else {
                    reader.readHoldingLock(deadline, false);
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
                state.socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                if (state.in.read(sink) < 0) {
                    return;
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.TRACE, "drain ended on {0}: {1}", state.socket, e.getMessage());
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
