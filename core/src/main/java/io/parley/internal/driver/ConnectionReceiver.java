package io.parley.internal.driver;

import io.parley.ConnectionEndedException;
import io.parley.MessagePart;
import io.parley.NetworkEvent;
import io.parley.ShutdownException;
import io.parley.WouldBlockException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

/**
 * Hands a {@link StreamConnection}'s application what arrived: the messages in order, whole or in parts, then
 * the peer's disconnect or how the connection ended. A receiving thread only takes what the
 * {@link ConnectionReadLoop} queued, and waits for it while there is nothing (or, non-blocking, says so); it
 * never reads the stream, so {@code close()} and an interrupt always end its wait. Every receive re-enables
 * FD_READ [E3].
 */
final class ConnectionReceiver {
    private final ConnectionState state;
    /** Told when a message is taken: it may have paused for room. */
    private final ConnectionReadLoop readLoop;
    /** Sends a held ACCEPT before this side waits for input. */
    private final ConnectionWriter writer;

    /** The receiving side of the connection whose state, reading and writing these are. */
    ConnectionReceiver(ConnectionState state, ConnectionReadLoop readLoop, ConnectionWriter writer) {
        this.state = state;
        this.readLoop = readLoop;
        this.writer = writer;
    }

    /** As {@link io.parley.ParleyConnection#receive(Duration)}: the next message, or what is left of it. */
    byte[] receive(Duration timeout) throws IOException {
        state.lock();
        try {
            state.selection.reEnable(NetworkEvent.READ);
            if (!awaitMessage(ConnectionState.deadlineAfter(timeout), timeout)) {
                return null;
            }
            byte[] message = state.inbound.poll();
            int received = state.headReceived;
            state.headReceived = 0;
            state.inboundBytes -= message.length - received;
            readLoop.messageTaken();
            return received == 0 ? message : Arrays.copyOfRange(message, received, message.length);
        } finally {
            state.report();
            state.unlock();
        }
    }

    /** As {@link io.parley.ParleyConnection#receive(ByteBuffer)}. */
    MessagePart receive(ByteBuffer into) throws IOException {
        if (!into.hasRemaining()) {
            throw new IllegalArgumentException("a buffer with no room left would receive nothing: " + into);
        }
        state.lock();
        try {
            state.selection.reEnable(NetworkEvent.READ);
            if (!awaitMessage(Long.MAX_VALUE, Duration.ZERO)) {
                return MessagePart.DISCONNECTED;
            }
            byte[] message = state.inbound.peek();
            int from = state.headReceived;
            int length = Math.min(into.remaining(), message.length - from);
            into.put(message, from, length);
            state.inboundBytes -= length;
            boolean ended = from + length == message.length;
            if (ended) {
                state.inbound.poll();
            }
            state.headReceived = ended ? 0 : from + length;
            readLoop.messageTaken();
            return ended ? MessagePart.MESSAGE_END : MessagePart.PARTIAL;
        } finally {
            state.report();
            state.unlock();
        }
    }

    /**
     * Waits until a message is at the head of the queue (true) or the peer's disconnect follows the last one
     * (false); throws when neither can come, the deadline passed, or a non-blocking call would wait. Lock held.
     */
    private boolean awaitMessage(long deadline, Duration timeout) throws IOException {
        while (true) {
            state.requireNotClosed();
            if (state.use == ConnectionState.Use.DISCONNECT_TAKEN) {
                throw new ShutdownException("receiving ended with receiveDisconnect()");
            }
            if (!state.inbound.isEmpty()) {
                return true;
            }
            if (state.peerDisconnectData != null) {
                return false;
            }
            if (state.ending != null) {
                throw ConnectionEndedException.of(state.ending);
            }
            if (state.answerHeldSince != 0) {
                // About to wait for input: an ACCEPT held for this side's first answer leaves now.
                state.answerHeldSince = 0;
                state.unlock();
                writer.flushFromCaller();
                state.lock();
            } else if (!state.blocking) {
                throw new WouldBlockException("no message has arrived");
            } else {
                state.awaitChange(deadline, "no message within " + timeout.toMillis() + " ms");
            }
        }
    }

    /** As {@link io.parley.ParleyConnection#receiveDisconnect()}. */
    byte[] receiveDisconnect() throws IOException {
        state.lock();
        try {
            state.requireNotClosed();
            if (state.use == ConnectionState.Use.DISCONNECT_TAKEN) {
                throw new ShutdownException("the peer's disconnect data was already taken");
            }
            if (state.peerDisconnectData != null && state.inbound.isEmpty()) {
                state.use = ConnectionState.Use.DISCONNECT_TAKEN;
                return state.peerDisconnectData.clone();
            }
            if (state.peerDisconnectData == null && state.ending != null) {
                throw ConnectionEndedException.of(state.ending);
            }
            throw new WouldBlockException(state.peerDisconnectData == null
                    ? "the peer's disconnect has not arrived"
                    : state.inbound.size() + " message(s) before the peer's disconnect are still unread");
        } finally {
            state.unlock();
        }
    }
}
