package io.parley.internal.driver;

import io.parley.ConnectionEndedException;
import io.parley.ShutdownException;
import io.parley.WouldBlockException;

import java.io.IOException;
import java.time.Duration;

/**
 * Hands a {@link StreamConnection}'s application what arrived: the messages in order, then the peer's disconnect
 * or how the connection ended. A receiving thread only takes what the {@link ConnectionReadLoop} queued, and
 * waits for it while there is nothing; it never reads the stream, so {@code close()} and an interrupt always
 * end its wait.
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

    /** As {@link io.parley.ParleyConnection#receive(Duration)}. */
    byte[] receive(Duration timeout) throws IOException {
        state.lock();
        try {
            long deadline = ConnectionState.deadlineAfter(timeout);
            while (true) {
                state.requireNotClosed();
                if (state.use == ConnectionState.Use.DISCONNECT_TAKEN) {
                    throw new ShutdownException("receiving ended with receiveDisconnect()");
                }
                byte[] message = state.inbound.poll();
                if (message != null) {
                    state.inboundBytes -= message.length;
                    readLoop.messageTaken();
                    return message;
                }
                if (state.peerDisconnectData != null) {
                    return null;
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
                } else {
                    state.awaitChange(deadline, noMessageWithin(timeout));
                }
            }
        } finally {
            state.unlock();
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

    private static String noMessageWithin(Duration timeout) {
        return "no message within " + timeout.toMillis() + " ms";
    }
}
