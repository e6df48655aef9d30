package io.parley.protocol;

import io.parley.CloseIndication;
import io.parley.Group;
import io.parley.Qos;

/**
 * What the engine tells its driver, in the order things happened on the wire. {@link Closed} is always the
 * last event of a connection and comes exactly once. Byte arrays belong to the receiver of the event.
 */
public sealed interface ProtocolEvent {

    /** Callee: a connection request arrived and waits for a decision. */
    record ConnectRequested(Qos qos, Group group, byte[] callerData) implements ProtocolEvent {
    }

    /** Caller: the callee deferred its decision (PENDING); the request is alive. */
    record Deferred() implements ProtocolEvent {
    }

    /** Caller: the request was accepted; the connection is open. */
    record Accepted(Qos grantedQos, Group group, byte[] calleeData) implements ProtocolEvent {
    }

    /** A whole message arrived ({@link ProtocolEngine#pollMessage} hands it over without this wrapper). */
    record MessageReceived(byte[] message) implements ProtocolEvent {
    }

    /**
     * The peer ended its sending direction: no message follows. {@code peerClosed}: the peer also closed
     * and discards whatever is sent to it from now on.
     */
    record PeerDisconnected(byte[] data, boolean peerClosed) implements ProtocolEvent {
    }

    /** The connection ended (or the request was refused), as the indication says. */
    record Closed(CloseIndication indication) implements ProtocolEvent {
    }
}
