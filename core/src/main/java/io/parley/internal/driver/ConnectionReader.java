package io.parley.internal.driver;

import io.parley.CloseIndication;
import io.parley.ReasonCode;
import io.parley.protocol.EngineState;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Reads a {@link StreamConnection}'s stream into its engine, one read at a time, by whichever thread holds the
 * read permit (an application thread that receives or connects, the {@link BackgroundReader}, a closer that
 * drains). Reads are not timed unless their caller has a deadline: a timed read costs a timer per read.
 */
final class ConnectionReader {
    /** The usual read buffer (and the buffer a drain reads into). */
    static final int READ_BUFFER = 8 * 1024;
    /**
     * What the reader blocks with while the connection is quiet: a blocked read holds its buffer, so an idle
     * connection would otherwise keep 8 KiB (64 KiB after a burst) for nothing. Full reads grow it again.
     */
    private static final int IDLE_READ_BUFFER = 128;
    private static final int LARGE_READ_BUFFER = 64 * 1024;
    /** Stand-ins for a read's result that is no byte count: the read timed out, or it failed. */
    private static final int TIMED_OUT = -2;
    private static final int FAILED = -3;

    /** What one read of the stream gave. */
    enum ReadOutcome { BYTES, TIMED_OUT, ENDED }

    private final ConnectionState state;
    private final ConnectionWriter writer;
    /** The read permit: some thread is reading the stream. */
    private boolean reading;
    /** The transport's input ended (end of stream or failure): nothing more will be read. */
    private boolean inputEnded;
    private final ByteBuffer idleReadBuffer = ByteBuffer.allocate(IDLE_READ_BUFFER);
    private ByteBuffer readBuffer = idleReadBuffer;
    /** The stream's read timeout as last set (milliseconds, 0 none); -1 before the first read. */
    private int readTimeoutMillis = -1;

    /** The reader of the connection whose state this is; {@code writer} writes what the engine answers. */
    ConnectionReader(ConnectionState state, ConnectionWriter writer) {
        this.state = state;
        this.writer = writer;
    }

    /** True once nothing more is to be read: the input ended or the engine closed. Lock held. */
    boolean isInputDone() {
        return inputEnded || state.engine.state() == EngineState.CLOSED;
    }

    /** True while some thread holds the read permit. Lock held. */
    boolean isPermitTaken() {
        return reading;
    }

    /** Takes the read permit unless some thread holds it; true if taken. Lock held. */
    boolean tryTakePermit() {
        if (reading) {
            return false;
        }
        reading = true;
        return true;
    }

    /** Gives back a permit taken with {@link #tryTakePermit()}. Lock held. */
    void releasePermit() {
        reading = false;
    }

    /**
     * Reads the stream once with the read permit, which must be free, and feeds the engine. Lock held once on
     * entry and on return, released during the read. The read blocks until {@code deadline} at the latest
     * (and the engine's own deadline).
     */
    ReadOutcome readHoldingLock(long deadline, boolean writeInline) {
        reading = true;
        int timeoutMillis = readTimeoutMillis(deadline);
        ByteBuffer buffer = readBuffer;
        state.unlock();
        ReadOutcome outcome = ReadOutcome.ENDED;
        try {
            // The read itself is here, not in a helper: a parked reader's stack is what an idle connection
            // holds on the heap, so every frame on the way to the stream counts.
            int n;
            try {
                setReadTimeout(timeoutMillis);
                n = state.stream.read(buffer.array(), 0, buffer.capacity());
            } catch (SocketTimeoutException e) {
                n = TIMED_OUT;
            } catch (IOException e) {
                readFailed(e);
                n = FAILED;
            }
            outcome = afterRead(buffer, n);
            writer.writeUnlessHeld(writeInline); // what the engine answered (an abort after a violation, a timeout)
        } finally {
            state.lock();
            reading = false;
            state.changed.signalAll();
        }
        return outcome;
    }

    /**
     * Sets the stream's read timeout unless it has that value already (most reads are untimed, and setting
     * it costs a TCP socket its lock). Called only by the thread holding the read permit.
     */
    void setReadTimeout(int millis) throws IOException {
        if (millis != readTimeoutMillis) {
            state.stream.setReadTimeout(millis);
            readTimeoutMillis = millis;
        }
    }

    /** Feeds the engine what one read gave: bytes, the end of the stream, a timeout or a failure. */
    private ReadOutcome afterRead(ByteBuffer buffer, int n) {
        if (n == TIMED_OUT) {
            withEngine(() -> state.engine.handleTimeout(System.nanoTime()));
            return ReadOutcome.TIMED_OUT;
        }
        if (n == FAILED) {
            return ReadOutcome.ENDED;
        }
        if (n < 0) {
            writer.awaitWriteSettled();
            withEngine(() -> {
                inputEnded = true;
                state.engine.receiveEndOfStream();
            });
            return ReadOutcome.ENDED;
        }
        state.lock();
        try {
            state.engine.receive(buffer.clear().limit(n));
            state.dispatch();
            resizeReadBuffer(n);
            return isInputDone() ? ReadOutcome.ENDED : ReadOutcome.BYTES;
        } finally {
            state.unlock();
        }
    }

    private void readFailed(IOException e) {
        if (Thread.currentThread().isInterrupted()) {
            // A virtual thread interrupted in a socket read had its socket closed by the JDK: a local abort.
            state.reset(new CloseIndication(CloseIndication.Kind.ABORTED, ReasonCode.APPLICATION_ABORT,
                    "a thread reading the connection was interrupted, which closed it"));
        }
        withEngine(() -> {
            inputEnded = true;
            state.engine.receiveReset("transport failed: " + e.getMessage());
        });
    }

    /** Full reads grow the buffer; a short one means the burst is over: block with the small one again. */
    private void resizeReadBuffer(int lastRead) {
        if (lastRead == readBuffer.capacity() && readBuffer.capacity() < LARGE_READ_BUFFER) {
            readBuffer = ByteBuffer.allocate(readBuffer == idleReadBuffer ? READ_BUFFER : LARGE_READ_BUFFER);
        } else if (lastRead < IDLE_READ_BUFFER && readBuffer != idleReadBuffer) {
            readBuffer = idleReadBuffer;
        }
    }

    private static int readTimeoutMillis(long deadline) {
        if (deadline == Long.MAX_VALUE) {
            return 0;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis + 1));
    }

    private void withEngine(Runnable step) {
        state.lock();
        try {
            step.run();
            state.dispatch();
        } finally {
            state.unlock();
        }
    }

    /** After a read: an interrupted thread's read closed the connection, which it is told. */
    static void requireNotInterrupted(String doing) throws InterruptedIOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted while " + doing + "; the connection was closed");
        }
    }
}
