package io.parley.protocol;

import io.parley.Group;
import io.parley.Qos;
import io.parley.ReasonCode;

/**
 * A decoded frame (or the preamble). Byte arrays are owned by the frame: neither side modifies them after
 * construction. Compare frames with a content-aware comparison; arrays use identity in record equality.
 * User data (caller, callee, reason and disconnect data) is always whole here: the decoder joins the
 * CONTINUATION frames that carried it, and the encoder splits it into them.
 */
public sealed interface Frame {

    /** The frame's type. */
    FrameType type();

    /** The preamble: the protocol versions the sender speaks, lowest and highest. */
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
     * @param qos               the requested QoS, or null if none was requested
     * @param group             the group request, or null if none
     * @param callerData        the caller data, possibly empty
     */
    record Connect(long maxMessageSize, int maxCalleeData, int maxDisconnectData, int maxReasonData,
                   long earlyLength, Qos qos, Group group, byte[] callerData) implements Frame {
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
     * @param qos               the granted QoS, or null if none was requested
     * @param group             the group the connection joined (kind JOIN), or null if none
     * @param calleeData        the callee data, possibly empty
     */
    record Accept(long maxMessageSize, int maxDisconnectData, Qos qos, Group group, byte[] calleeData)
            implements Frame {
        @Override
        public FrameType type() {
            return FrameType.ACCEPT;
        }
    }

    /** The refusal: a reason code (the raw wire value) and optional reason data. */
    record Reject(int reasonCode, byte[] reasonData) implements Frame {
        @Override
        public FrameType type() {
            return FrameType.REJECT;
        }

        /** The reason; codes this version does not know read as UNSPECIFIED. */
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

    /** One fragment of a message; {@code more} says further fragments of the same message follow. */
    record Data(boolean more, byte[] payload) implements Frame {
        @Override
        public FrameType type() {
            return FrameType.DATA;
        }
    }

    /**
     * The size of the next message, all its fragments together: an extension frame sent just before the
     * first fragment, so that the receiver can allocate the message once.
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

    /** The end of the sender's sending direction, with disconnect data; {@code closed}: the sender closed. */
    record Disconnect(boolean closed, byte[] data) implements Frame {
        @Override
        public FrameType type() {
            return FrameType.DISCONNECT;
        }
    }

    /** The end of both directions: a reason code (the raw wire value) and optional reason data. */
    record Abort(int reasonCode, byte[] reasonData) implements Frame {
        @Override
        public FrameType type() {
            return FrameType.ABORT;
        }

        /** The reason; codes this version does not know read as UNSPECIFIED. */
        public ReasonCode reason() {
            return ReasonCode.ofWire(reasonCode);
        }
    }
}
