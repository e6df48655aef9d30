package io.parley.protocol;

import java.util.Optional;

/**
 * The frame types of the protocol with their wire values (QOS_REQUEST and QOS_ANSWER from version 2 on), and
 * the extension types it knows.
 */
public enum FrameType {
    /** Not a frame: the stream's opening bytes. Listed so the state table can name it. */
    PREAMBLE(-1),
    /** Caller to callee: the connection request. */
    CONNECT(0x01),
    /** Callee to caller: the request is accepted. */
    ACCEPT(0x02),
    /** Callee to caller: the request is refused. */
    REJECT(0x03),
    /** Callee to caller: the request is held, its decision deferred. */
    PENDING(0x04),
    /** Either way: the next part of the user data of the frame before it. */
    CONTINUATION(0x05),
    /** Either way: one fragment of a message. */
    DATA(0x10),
    /** Either way: the sender ends its sending direction, with disconnect data. */
    DISCONNECT(0x20),
    /** Either way: the sender ends both directions at once, with a reason. */
    ABORT(0x21),
    /** Either way: the sender received the peer's DISCONNECT. */
    DISCONNECT_ACK(0x22),
    /** Either way, version 2: the sender asks for a new QoS for the connection (SIO_SET_QOS). */
    QOS_REQUEST(0x30),
    /** Either way, version 2: the answer to the peer's QOS_REQUEST, the granted QoS or a reason. */
    QOS_ANSWER(0x31),
    /** Either way: the size of the next message, before its first fragment (an ignorable extension type). */
    MESSAGE_SIZE(0x81);

    /** Frame types by wire value: a lookup that allocates nothing (values() copies its array on each call). */
    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType type : values()) {
            if (type.code >= 0) {
                BY_CODE[type.code] = type;
            }
        }
    }

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    /** The frame type for a type byte (0..255), or null if this version does not know it; never allocates. */
    static FrameType byCode(int code) {
        return BY_CODE[code & 0xFF];
    }

    /**
     * The type byte on the wire (-1 for the preamble).
     *
     * @return the type byte on the wire (-1 for the preamble)
     */
    public int code() {
        return code;
    }

    /**
     * The frame type for a type byte.
     *
     * @param code the type byte
     * @return the frame type, empty if this version does not know it
     */
    public static Optional<FrameType> ofCode(int code) {
        return code < 0 || code > 0xFF ? Optional.empty() : Optional.ofNullable(BY_CODE[code]);
    }
}
