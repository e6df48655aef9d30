package io.parley.protocol;

import io.parley.Group;
import io.parley.Qos;
import io.parley.ReasonCode;

import java.util.Objects;
import java.util.Optional;

/**
 * A decoded frame (or the preamble), immutable: a frame copies the arrays it is given and hands out copies,
 * and an absent QoS or group is an empty {@link Optional}. Record equality compares arrays by identity, so
 * two frames with equal contents are not {@code equals}: compare them field by field. User data (caller,
 * callee, reason and disconnect data) is always whole here: the decoder joins the CONTINUATION frames that
 * carried it, and the encoder splits it into them.
 */
public sealed interface Frame {

    /**
     * The frame's type.
     *
     * @return the frame's type
     */
    FrameType type();

    /**
     * The preamble: the protocol versions the sender speaks, lowest and highest.
     *
     * @param minVersion the lowest version the sender speaks
     * @param maxVersion the highest version the sender speaks
     */
    record Preamble(int minVersion, int maxVersion) implements Frame {
        @Override
        public FrameType type() {
            return FrameType.PREAMBLE;
        }
    }

    /**
     * The connection request, with the caller's receive limits.
     *
     * @param maxMessageSize    the largest message the caller accepts
     * @param maxCalleeData     the largest callee data the caller accepts
     * @param maxDisconnectData the largest disconnect data the caller accepts
     * @param maxReasonData     the largest REJECT reason data the caller accepts
     * @param earlyLength       what the early messages that follow cost in all (each its size plus 4)
     * @param qos               the requested QoS, empty if none was requested
     * @param group             the group request, empty if none
     * @param callerData        the caller data, possibly empty
     */
    record Connect(long maxMessageSize, int maxCalleeData, int maxDisconnectData, int maxReasonData,
                   long earlyLength, Optional<Qos> qos, Optional<Group> group, byte[] callerData) implements Frame {
        /**
         * Copies the caller data.
         *
         * @param maxMessageSize    the largest message the caller accepts
         * @param maxCalleeData     the largest callee data the caller accepts
         * @param maxDisconnectData the largest disconnect data the caller accepts
         * @param maxReasonData     the largest REJECT reason data the caller accepts
         * @param earlyLength       what the early messages that follow cost in all
         * @param qos               the requested QoS, empty if none was requested
         * @param group             the group request, empty if none
         * @param callerData        the caller data, possibly empty
         */
        public Connect {
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

        @Override
        public FrameType type() {
            return FrameType.CONNECT;
        }
    }

    /**
     * The acceptance, with the callee's receive limits.
     *
     * @param maxMessageSize    the largest message the callee accepts
     * @param maxDisconnectData the largest disconnect data the callee accepts
     * @param qos               the granted QoS, empty if none was granted
     * @param group             the group the connection joined (kind JOIN), empty if none
     * @param calleeData        the callee data, possibly empty
     */
    record Accept(long maxMessageSize, int maxDisconnectData, Optional<Qos> qos, Optional<Group> group,
                  byte[] calleeData) implements Frame {
        /**
         * Copies the callee data.
         *
         * @param maxMessageSize    the largest message the callee accepts
         * @param maxDisconnectData the largest disconnect data the callee accepts
         * @param qos               the granted QoS, empty if none was granted
         * @param group             the group the connection joined, empty if none
         * @param calleeData        the callee data, possibly empty
         */
        public Accept {
            Objects.requireNonNull(qos, "qos");
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

        @Override
        public FrameType type() {
            return FrameType.ACCEPT;
        }
    }

    /**
     * The refusal: a reason code (the raw wire value) and reason data.
     *
     * @param reasonCode the reason code as sent
     * @param reasonData the reason data, possibly empty
     */
    record Reject(int reasonCode, byte[] reasonData) implements Frame {
        /**
         * Copies the reason data.
         *
         * @param reasonCode the reason code as sent
         * @param reasonData the reason data, possibly empty
         */
        public Reject {
            reasonData = reasonData.clone();
        }

        /**
         * The reason data.
         *
         * @return a copy of the reason data
         */
        @Override
        public byte[] reasonData() {
            return reasonData.clone();
        }

        @Override
        public FrameType type() {
            return FrameType.REJECT;
        }

        /**
         * The reason; codes this version does not know read as UNSPECIFIED.
         *
         * @return the reason
         */
        public ReasonCode reason() {
            return ReasonCode.ofWire(reasonCode);
        }
    }

    /** The request is held; the callee is alive and will decide later. */
    record Pending() implements Frame {
        @Override
        public FrameType type() {
            return FrameType.PENDING;
        }
    }

    /**
     * One fragment of a message.
     *
     * @param more    whether further fragments of the same message follow
     * @param payload the fragment's bytes
     */
    record Data(boolean more, byte[] payload) implements Frame {
        /**
         * Copies the payload.
         *
         * @param more    whether further fragments of the same message follow
         * @param payload the fragment's bytes
         */
        public Data {
            payload = payload.clone();
        }

        /**
         * The fragment's bytes.
         *
         * @return a copy of the payload
         */
        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public FrameType type() {
            return FrameType.DATA;
        }
    }

    /**
     * The size of the next message, all its fragments together: an extension frame sent just before the
     * first fragment, so that the receiver can allocate the message once.
     *
     * @param size the message's size in bytes
     */
    record MessageSize(long size) implements Frame {
        @Override
        public FrameType type() {
            return FrameType.MESSAGE_SIZE;
        }
    }

    /** The sender received the peer's whole DISCONNECT, and so every message the peer sent before it. */
    record DisconnectAck() implements Frame {
        @Override
        public FrameType type() {
            return FrameType.DISCONNECT_ACK;
        }
    }

    /**
     * The end of the sender's sending direction, with disconnect data.
     *
     * @param closed whether the sender closed (it discards what is sent to it from now on)
     * @param data   the disconnect data, possibly empty
     */
    record Disconnect(boolean closed, byte[] data) implements Frame {
        /**
         * Copies the disconnect data.
         *
         * @param closed whether the sender closed
         * @param data   the disconnect data, possibly empty
         */
        public Disconnect {
            data = data.clone();
        }

        /**
         * The disconnect data.
         *
         * @return a copy of the disconnect data
         */
        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public FrameType type() {
            return FrameType.DISCONNECT;
        }
    }

    /**
     * QOS_REQUEST (version 2): the QoS the sender asks the connection to have from now on.
     *
     * @param qos the QoS asked for, from the caller's point of view
     */
    record QosRequest(Qos qos) implements Frame {
        /** The QoS is required. */
        public QosRequest {
            Objects.requireNonNull(qos, "qos");
        }

        @Override
        public FrameType type() {
            return FrameType.QOS_REQUEST;
        }
    }

    /**
     * QOS_ANSWER (version 2): the answer to the peer's QOS_REQUEST.
     *
     * @param granted    the granted QoS (the GRANTED flag), or empty for a refusal
     * @param reasonCode the refusal's reason code as sent; 0 when granted
     */
    record QosAnswer(Optional<Qos> granted, int reasonCode) implements Frame {
        /** The granted QoS is required (empty for a refusal). */
        public QosAnswer {
            Objects.requireNonNull(granted, "granted");
        }

        @Override
        public FrameType type() {
            return FrameType.QOS_ANSWER;
        }
    }

    /**
     * The end of both directions: a reason code (the raw wire value) and reason data.
     *
     * @param reasonCode the reason code as sent
     * @param reasonData the reason data, possibly empty
     */
    record Abort(int reasonCode, byte[] reasonData) implements Frame {
        /**
         * Copies the reason data.
         *
         * @param reasonCode the reason code as sent
         * @param reasonData the reason data, possibly empty
         */
        public Abort {
            reasonData = reasonData.clone();
        }

        /**
         * The reason data.
         *
         * @return a copy of the reason data
         */
        @Override
        public byte[] reasonData() {
            return reasonData.clone();
        }

        @Override
        public FrameType type() {
            return FrameType.ABORT;
        }

        /**
         * The reason; codes this version does not know read as UNSPECIFIED.
         *
         * @return the reason
         */
        public ReasonCode reason() {
            return ReasonCode.ofWire(reasonCode);
        }
    }
}
