package io.parley.internal.driver;

import io.parley.CloseIndication;
import io.parley.MessageTooLargeException;
import io.parley.NetworkEvent;
import io.parley.ShutdownException;
import io.parley.TimedOutException;
import io.parley.WouldBlockException;
import io.parley.ReasonCode;

import io.parley.internal.Failures;
import io.parley.protocol.IllegalCommandException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Sends on a {@link StreamConnection}: senders only encode into the engine (waiting, up to the send timeout,
 * while the send buffer is full or the granted token rate lacks the bytes; non-blocking, saying so); a quiet
 * connection's blocking sender writes itself, otherwise a writer virtual thread writes everything encoded so
 * far in one system call (coalescing). Completes the termination once a graceful ending is written out.
 */
final class ConnectionWriter {
    /** A send this soon after the last write ended is part of a burst and goes to the writer thread. */
    private static final long INLINE_IDLE_NANOS = TimeUnit.MICROSECONDS.toNanos(5);
    /** The most a read loop writes itself: an answer such as an acknowledgement, not queued messages. */
    private static final int SMALL_ANSWER = 256;
    /** How long an end of stream waits for a write in progress to show whether the peer reset instead. */
    private static final long WRITE_SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final ConnectionState state;
    private boolean writing;
    private long lastWriteEnd = System.nanoTime() - INLINE_IDLE_NANOS - 1;

    /** The writer of the connection whose state this is. */
    ConnectionWriter(ConnectionState state) {
        this.state = state;
    }

    /** As {@link io.parley.ParleyConnection#send(ByteBuffer)}. */
    void send(ByteBuffer message) throws IOException {
        state.lock();
        try {
            state.requireNotClosed();
            int size = message.remaining();
            long deadline = ConnectionState.deadlineAfter(state.settings.sendTimeout());
            while (!state.broken && state.ending == null) {
                if (state.policer != null) {
                    // Checked on every pass: a renegotiation while this send waited may have changed the grant.
                    requireGranted(size);
                }
                if (state.engine.pendingOutput() >= state.settings.sendBufferSize()) {
                    if (!state.blocking) {
                        blocked(size);
                        throw new WouldBlockException(state.engine.pendingOutput() + " bytes wait to be written, a"
                                + " full send buffer of " + state.settings.sendBufferSize() + "; nothing was sent");
                    }
                    state.awaitChange(deadline, "no room to send within " + state.settings.sendTimeout().toMillis() + " ms");
                } else if (state.policer == null) {
                    break;
                } else {
                    long delay = state.policer.delay(size, System.nanoTime());
                    if (delay == 0) {
                        break;
                    }
                    awaitTokens(size, delay, deadline);
                }
                state.requireNotClosed();
            }
            state.engine.send(message);
            if (state.policer != null) {
                state.policer.take(size, System.nanoTime());
                state.blockedSendSize = 1;
            }
        } catch (IllegalCommandException e) {
            throw Failures.ofCommand(e, state.ending);
        } finally {
            state.unlock();
        }
        if (flushFromCaller()) {
            throw new InterruptedIOException("interrupted while sending; the connection was aborted");
        }
    }

    /**
     * A non-blocking send of {@code size} bytes would wait: it re-enables FD_WRITE [E3], which then waits for
     * room and, under a granted token rate, for that many bytes' tokens. Lock held.
     */
    private void blocked(int size) {
        state.selection.reEnable(NetworkEvent.WRITE);
        state.blockedSendSize = size;
    }

    /** Refuses a message the granted QoS does not let through: no traffic this way, or over MaxSduSize. Lock held. */
    private void requireGranted(int size) throws IOException {
        if (state.policer.noTraffic()) {
            throw new ShutdownException("the granted QoS carries no traffic in this direction (NO_TRAFFIC)");
        }
        if (size > state.policer.maxSduSize()) {
            throw new MessageTooLargeException("a message of " + size + " bytes is over the granted MaxSduSize of "
                    + state.policer.maxSduSize() + "; nothing was sent");
        }
    }

    /**
     * Waits up to {@code delay} for the tokens a message of {@code size} bytes lacks (the granted QoS), within
     * the send deadline; non-blocking, says so and reports FD_WRITE once they are there. Lock held.
     */
    private void awaitTokens(int size, long delay, long deadline) throws IOException {
        if (!state.blocking) {
            blocked(size);
            state.report(); // FD_WRITE comes back with the tokens
            throw new WouldBlockException("the granted token rate has no tokens for " + size + " bytes for "
                    + TimeUnit.NANOSECONDS.toMicros(delay) + " µs; nothing was sent");
        }
        long now = System.nanoTime();
        if (deadline - now <= 0) {
            throw new TimedOutException("the granted token rate had no tokens for " + size + " bytes within "
                    + state.settings.sendTimeout().toMillis() + " ms; nothing was sent");
        }
        try {
            state.changed.awaitNanos(Math.min(delay, deadline - now));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw state.abortForInterrupt();
        }
    }

    /** As {@link io.parley.ParleyConnection#sendDisconnect(byte[])}. */
    void sendDisconnect(byte[] data) throws IOException {
        state.lock();
        try {
            state.requireNotClosed();
            state.engine.sendDisconnect(data.clone(), false);
            state.dispatch();
        } catch (IllegalCommandException e) {
            throw Failures.ofCommand(e, state.ending);
        } finally {
            state.unlock();
        }
        if (flushFromCaller()) {
            throw new InterruptedIOException("interrupted while sending the disconnect; the connection was aborted");
        }
    }

    /**
     * Makes sure what the engine has encoded gets written: starts the writer unless one is running (it takes
     * ours too, so sends made while it writes are coalesced into its next system call). Never blocks. A write
     * failure ends the connection as a reset.
     */
    void flush() {
        startWriting(Origin.THREAD);
    }

    /**
     * As {@link #flush()}, from an application thread: when the connection has been quiet (no write ended in
     * the last {@link #INLINE_IDLE_NANOS}) and no send timeout must be honoured, the caller writes itself, so
     * a lone send costs no hand-off to another thread (and may block while the transport's send buffer is
     * full). A send that follows a write at once is left to the writer thread instead, which coalesces the
     * burst.
     *
     * @return true if the caller's own write was interrupted, which aborted the connection
     */
    boolean flushFromCaller() {
        return startWriting(Origin.CALLER);
    }

    /**
     * As {@link #flush()}, from the read loop after a read: writes a small answer (an acknowledgement) itself,
     * hands anything larger to the writer thread (the read loop must not wait long for the peer to read), and
     * leaves a held answer ({@link ConnectionState#answerHeldSince}) for the write it is held for unless the
     * connection has ended.
     */
    void writeAnswer() {
        startWriting(Origin.READER);
    }

    /** Who asks for a write, which decides whether it writes itself. */
    private enum Origin { THREAD, CALLER, READER }

    private boolean startWriting(Origin origin) {
        boolean inline;
        state.lock();
        try {
            if (writing || state.broken
                    || origin == Origin.READER && state.answerHeldSince != 0 && state.ending == null) {
                return false;
            }
            int pending = state.engine.pendingOutput();
            if (pending == 0) {
                completeTerminationIfFlushed();
                return false;
            }
            writing = true;
            inline = switch (origin) {
                case THREAD -> false;
                // After this side's disconnect nothing can follow to coalesce with, so it is written at once.
                // A non-blocking caller never writes: the write could block in the transport.
                case CALLER -> state.blocking && state.settings.sendTimeout().isZero()
                        && (state.engine.isSendingDone() || System.nanoTime() - lastWriteEnd > INLINE_IDLE_NANOS);
                case READER -> pending <= SMALL_ANSWER;
            };
        } finally {
            state.unlock();
        }
        if (inline) {
            return writeLoop();
        }
        Thread.ofVirtual().name("parley-writer-" + state.stream.label()).start(this::writeLoop);
        return false;
    }

    /**
     * The writer: writes batches until nothing is left, then stops (a later flush starts another).
     *
     * @return true if the writing thread was interrupted in a write, which aborted the connection
     */
    private boolean writeLoop() {
        IOException failure = null;
        boolean interrupted = false;
        while (true) {
            ByteBuffer batch;
            state.lock();
            try {
                batch = failure == null ? state.engine.takeOutput() : null;
                state.answerHeldSince = 0; // whatever was held leaves with this batch
                if (batch == null) {
                    writing = false;
                    if (interrupted) {
                        state.abortForInterrupt();
                    } else if (failure != null) {
                        writeFailed(failure);
                    }
                    completeTerminationIfFlushed();
                    state.signalChange();
                    return interrupted;
                }
                state.signalChange(); // the send buffer has room again (FD_WRITE)
            } finally {
                state.unlock();
            }
            try {
                state.stream.write(batch.array(), batch.arrayOffset() + batch.position(), batch.remaining());
            } catch (IOException e) {
                failure = e;
                // The JDK closes the socket of a virtual thread interrupted in a write: a local abort.
                interrupted = Thread.currentThread().isInterrupted();
            }
            state.lock();
            try {
                state.engine.releaseOutput();
                lastWriteEnd = System.nanoTime();
            } finally {
                state.unlock();
            }
        }
    }

    /** The transport broke while writing: what was queued is lost, so the ending cannot be graceful. Lock held. */
    private void writeFailed(IOException failure) {
        state.broken = true;
        String detail = "write failed: " + failure.getMessage();
        if (state.ending == null) {
            state.engine.receiveReset(detail);
            state.dispatch();
        } else if (state.ending.isGraceful()) {
            CloseIndication lost = new CloseIndication(CloseIndication.Kind.RESET, ReasonCode.TRANSPORT_RESET, detail);
            state.ending = lost;
            state.outcome.terminate(lost);
        }
    }

    /** Called with the lock held, once nothing is left to write. */
    private void completeTerminationIfFlushed() {
        if (state.ending != null && state.ending.isGraceful() && state.engine.pendingOutput() == 0) {
            state.outcome.terminate(CloseIndication.GRACEFUL);
        }
    }

    /** True when both disconnects crossed and everything is written: closing cannot block. */
    boolean isFinishedAndFlushed() {
        state.lock();
        try {
            return state.ending != null && state.ending.isGraceful() && !writing && state.engine.pendingOutput() == 0;
        } finally {
            state.unlock();
        }
    }

    /**
     * Writes what is queued and waits, untimed, until it is written or the transport broke (a reset at a
     * deadline breaks it); false if the waiting thread was interrupted.
     */
    boolean awaitFlushed() {
        if (flushFromCaller()) {
            return false;
        }
        state.lock();
        try {
            while ((writing || state.engine.pendingOutput() > 0) && !state.broken) {
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
     * Linux hands a peer's reset to whichever call on the socket comes first: when the writer's send takes
     * it, the next read sees only an end of stream. Waiting (up to {@link #WRITE_SETTLE_NANOS}) for a write in
     * progress to finish lets its failure report the reset (WSAECONNRESET) before the end of stream is taken
     * for a plain abort.
     */
    void awaitWriteSettled() {
        long deadline = System.nanoTime() + WRITE_SETTLE_NANOS;
        state.lock();
        try {
            while (writing && !state.broken && state.awaitUntil(deadline)) {
                // the writer signals when its write completes or fails
            }
        } finally {
            state.unlock();
        }
    }
}
