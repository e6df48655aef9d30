package io.parley.protocol;

import io.parley.CloseIndication;
import io.parley.Group;
import io.parley.Qos;
import io.parley.ReasonCode;

import java.util.Objects;
import java.util.Optional;

/**
 * What the engine tells its driver, in the order things happened on the wire. {@link Closed} is always the
 * last event of a connection and comes exactly once. Events are immutable: they copy the arrays they are
 * given and hand out copies, and an absent QoS or group is an empty {@link Optional}. (A message taken with
 * {@link ProtocolEngine#pollMessage} is handed over without a copy: the engine keeps no reference to it.)
 */
public sealed interface ProtocolEvent {

    /**
     * Callee: a connection request arrived and waits for a decision.
     *
     * @param qos        the requested QoS, empty if none
     * @param group      the group request, empty if none
     * @param callerData the caller data, possibly empty
     */
    record ConnectRequested(Optional<Qos> qos, Optional<Group> group, byte[] callerData) implements ProtocolEvent {
        /**
         * Copies the caller data.
         *
         * @param qos        the requested QoS, empty if none
         * @param group      the group request, empty if none
         * @param callerData the caller data, possibly empty
         */
        public ConnectRequested {
            Objects.requireNonNull(qos, "qos");
            Objects.requireNonNull(group, "group");
            callerData = callerData.clone();
        }

        /**
         * The caller data.
         *
         * @return a copy of the caller data
         */
        @Override
        public byte[] callerData() {
            return callerData.clone();
        }
    }

    /** Caller: the callee deferred its decision (PENDING); the request is alive. */
    record Deferred() implements ProtocolEvent {
    }

    /**
     * Caller: the request was accepted; the connection is open.
     *
     * @param grantedQos the granted QoS, empty if none
     * @param group      the group the connection joined, empty if none
     * @param calleeData the callee data, possibly empty
     */
    record Accepted(Optional<Qos> grantedQos, Optional<Group> group, byte[] calleeData) implements ProtocolEvent {
        /**
         * Copies the callee data.
         *
         * @param grantedQos the granted QoS, empty if none
         * @param group      the group the connection joined, empty if none
         * @param calleeData the callee data, possibly empty
         */
        public Accepted {
            Objects.requireNonNull(grantedQos, "grantedQos");
            Objects.requireNonNull(group, "group");
            calleeData = calleeData.clone();
        }

        /**
         * The callee data.
         *
         * @return a copy of the callee data
         */
        @Override
        public byte[] calleeData() {
            return calleeData.clone();
        }
    }

    /**
     * A whole message arrived ({@link ProtocolEngine#pollMessage} hands it over without this wrapper).
     *
     * @param message the message
     */
    record MessageReceived(byte[] message) implements ProtocolEvent {
        /**
         * Copies the message.
         *
         * @param message the message
         */
        public MessageReceived {
            message = message.clone();
        }

        /**
         * The message.
         *
         * @return a copy of the message
         */
        @Override
        public byte[] message() {
            return message.clone();
        }
    }

    /**
     * The peer ended its sending direction: no message follows.
     *
     * @param data       the peer's disconnect data, possibly empty
     * @param peerClosed whether the peer also closed: it discards whatever is sent to it from now on
     */
    record PeerDisconnected(byte[] data, boolean peerClosed) implements ProtocolEvent {
        /**
         * Copies the disconnect data.
         *
         * @param data       the peer's disconnect data, possibly empty
         * @param peerClosed whether the peer also closed
         */
        public PeerDisconnected {
            data = data.clone();
        }

        /**
         * The peer's disconnect data.
         *
         * @return a copy of the disconnect data
         */
        @Override
        public byte[] data() {
            return data.clone();
        }
    }

    /**
     * The peer asks for a new QoS (QOS_REQUEST, version 2): answer with {@link ProtocolEngine#grantQos} or
     * {@link ProtocolEngine#refuseQos}.
     *
     * @param requested the QoS asked for, from the caller's point of view
     */
    record QosRequested(Qos requested) implements ProtocolEvent {
        /** The QoS is required. */
        public QosRequested {
            Objects.requireNonNull(requested, "requested");
        }
    }

    /**
     * The peer answered this side's QoS request (QOS_ANSWER, version 2): granted, the connection's QoS is now
     * {@code granted}; refused, it stays as it was.
     *
     * @param granted the granted QoS, empty when refused
     * @param reason  the refusal's reason, {@link ReasonCode#UNSPECIFIED} when granted
     */
    record QosAnswered(Optional<Qos> granted, ReasonCode reason) implements ProtocolEvent {
        /** Both are required. */
        public QosAnswered {
            Objects.requireNonNull(granted, "granted");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The connection ended (or the request was refused), as the indication says.
     *
     * @param indication how it ended
     */
    record Closed(CloseIndication indication) implements ProtocolEvent {
    }
}
