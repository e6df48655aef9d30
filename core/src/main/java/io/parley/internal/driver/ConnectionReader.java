package io.parley.internal.driver;

import io.parley.protocol.EngineState;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads a {@link StreamConnection}'s stream into its engine, one read at a time; only the connection's
 * {@link ConnectionReadLoop} calls it. Reads are never timed: deadlines are the {@link ConnectionWatch}'s.
 */
final class ConnectionReader {
    private static final int READ_BUFFER = 8 * 1024;
    /**
     * What the reader blocks with while the connection is quiet: a blocked read holds its buffer, so an idle
     * connection would otherwise keep 8 KiB (64 KiB after a burst) for nothing. Full reads grow it again.
     */
    private static final int IDLE_READ_BUFFER = 128;
    private static final int LARGE_READ_BUFFER = 64 * 1024;

    private final ConnectionState state;
    private final ConnectionWriter writer;
    /** The transport's input ended (end of stream or failure): nothing more will be read. Lock held. */
    private boolean inputEnded;
    private final ByteBuffer idleReadBuffer = ByteBuffer.allocate(IDLE_READ_BUFFER);
    private ByteBuffer readBuffer = idleReadBuffer;

    /** The reader of the connection whose state this is; {@code writer} writes what the engine answers. */
    ConnectionReader(ConnectionState state, ConnectionWriter writer) {
        this.state = state;
        this.writer = writer;
    }

    /** True once nothing more is to be taken from the input: it ended or the engine closed. Lock held. */
    boolean isInputDone() {
        return inputEnded || state.engine.state() == EngineState.CLOSED;
    }

    /** True once the transport's input ended (end of stream or failure). Lock held. */
    boolean isInputEnded() {
        return inputEnded;
    }

    /**
     * Reads the stream once, with no lock held, feeds the engine and has what it answered written.
     *
     * @return false once the input ended
     */
    boolean readOnce() {
        ByteBuffer buffer = readBuffer;
        // The read itself is here, not in a helper: a parked reader's stack is what an idle connection holds
        // on the heap, so every frame on the way to the stream counts.
        int n;
        try {
            n = state.stream.read(buffer.array(), 0, buffer.capacity());
        } catch (IOException e) {
            ended(() -> state.engine.receiveReset("transport failed: " + e.getMessage()));
            return false;
        }
        if (n < 0) {
            writer.awaitWriteSettled();
            ended(state.engine::receiveEndOfStream);
            return false;
        }
        state.lock();
        try {
            state.engine.receive(buffer.clear().limit(n));
            state.dispatch();
            resizeReadBuffer(n);
        } finally {
            state.unlock();
        }
        writer.writeAnswer(); // what the engine answered (an acknowledgement, an abort after a violation)
        return true;
    }

    private void ended(Runnable step) {
        state.lock();
        try {
            inputEnded = true;
            step.run();
            state.dispatch();
        } finally {
            state.unlock();
        }
        writer.writeAnswer();
    }

    /** Full reads grow the buffer; a short one means the burst is over: block with the small one again. */
    private void resizeReadBuffer(int lastRead) {
        if (lastRead == readBuffer.capacity() && readBuffer.capacity() < LARGE_READ_BUFFER) {
            readBuffer = ByteBuffer.allocate(readBuffer == idleReadBuffer ? READ_BUFFER : LARGE_READ_BUFFER);
        } else if (lastRead < IDLE_READ_BUFFER && readBuffer != idleReadBuffer) {
            readBuffer = idleReadBuffer;
        }
    }
}
