package io.parley.internal.driver;

import io.parley.ConnectionEndedException;
import io.parley.ShutdownException;
import io.parley.TimedOutException;
import io.parley.WouldBlockException;

import java.io.IOException;
import java.time.Duration;

/**
 * Hands a {@link StreamConnection}'s application what arrived: the messages in order, then the peer's disconnect
 * or how the connection ended. A receiving thread that finds nothing queued reads the stream itself while
 * nobody else does, so a message costs one wake-up, as with a plain socket.
 */
final class ConnectionReceiver {
    private final ConnectionState state;
    private final ConnectionReader reader;
    /** Reads while nobody receives, and hands reading over to a receiver that waits. */
    private final BackgroundReader background;
    /** Sends a held ACCEPT before this side waits for input. */
    private final ConnectionWriter writer;

    /** The receiving side of the connection whose state, reading and writing these are. */
    ConnectionReceiver(ConnectionState state, ConnectionReader reader, BackgroundReader background,
                       ConnectionWriter writer) {
        this.state = state;
        this.reader = reader;
        this.background = background;
        this.writer = writer;
    }

    /** As {@link io.parley.ParleyConnection#receive(Duration)}. */
    byte[] receive(Duration timeout) throws IOException {
        state.lock();
        try {
            long deadline = ConnectionState.deadlineAfter(timeout);
            while (true) {
                state.requireNotClosed();
                if (state.disconnectTaken) {
                    throw new ShutdownException("receiving ended with receiveDisconnect()");
                }
                byte[] message = state.inbound.poll();
                if (message != null) {
                    state.inboundBytes -= message.length;
                    state.changed.signalAll();
                    return message;
                }
                if (state.peerDisconnectData != null) {
                    state.settleCloseIndication();
                    return null;
                }
                if (state.ending != null) {
                    state.settleCloseIndication();
                    throw ConnectionEndedException.of(state.ending);
                }
                if (state.answerHeldSince != 0) {
                    // About to wait for input: an ACCEPT held for this side's first answer leaves now.
                    state.answerHeldSince = 0;
                    state.unlock();
                    writer.flushFromCaller();
                    state.lock();
                } else if (background.hasReader()) {
                    background.awaitOtherReader(deadline, noMessageWithin(timeout));
                } else {
                    ConnectionReader.ReadOutcome outcome = reader.readHoldingLock(deadline, true);
                    ConnectionReader.requireNotInterrupted("receiving");
                    if (outcome == ConnectionReader.ReadOutcome.TIMED_OUT && deadline != Long.MAX_VALUE
                            && deadline - System.nanoTime() <= 0) {
                        throw new TimedOutException(noMessageWithin(timeout));
                    }
                }
            }
        } finally {
            background.leaveUnread();
            state.unlock();
        }
    }

    /** As {@link io.parley.ParleyConnection#receiveDisconnect()}. */
    byte[] receiveDisconnect() throws IOException {
        state.lock();
        try {
            state.requireNotClosed();
            if (state.disconnectTaken) {
                throw new ShutdownException("the peer's disconnect data was already taken");
            }
            if (state.peerDisconnectData != null && state.inbound.isEmpty()) {
                state.disconnectTaken = true;
                state.settleCloseIndication();
                return state.peerDisconnectData.clone();
            }
            if (state.peerDisconnectData == null && state.ending != null) {
                state.settleCloseIndication();
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
