package io.parley;

/**
 * Why a connection request was rejected or a connection ended, as carried in REJECT and ABORT frames
 * (see docs/protocol.md, "Reason codes"). Some codes are local only: they describe what this side saw
 * and are never sent.
 */
public enum ReasonCode {
    /** No reason given, or a code this version does not know. */
    UNSPECIFIED(0, WinsockError.WSAECONNREFUSED, false),
    /** The callee's condition rejected the request. */
    REFUSED(1, WinsockError.WSAECONNREFUSED, false),
    /** The callee's queue of pending requests is full. */
    QUEUE_FULL(2, WinsockError.WSAECONNREFUSED, false),
    /** The callee is shutting down and accepts no more requests. */
    SHUTTING_DOWN(3, WinsockError.WSAECONNREFUSED, false),
    /** The requested QoS cannot be honoured. */
    QOS_NOT_SUPPORTED(4, WinsockError.WSAEOPNOTSUPP, false),
    /** Connect data was sent but the callee cannot take it. */
    DATA_NOT_SUPPORTED(5, WinsockError.WSAEPROTONOSUPPORT, false),
    /** A handshake or linger bound passed without an answer. */
    TIMED_OUT(6, WinsockError.WSAETIMEDOUT, false),
    /** The peer broke the wire protocol. */
    PROTOCOL_VIOLATION(7, WinsockError.WSAECONNABORTED, false),
    /** A message exceeded the receiver's advertised limit. */
    MESSAGE_TOO_LARGE(8, WinsockError.WSAEMSGSIZE, false),
    /** The application aborted the connection. */
    APPLICATION_ABORT(9, WinsockError.WSAECONNRESET, false),
    /** Caller and callee share no protocol version. */
    VERSION_UNSUPPORTED(10, WinsockError.WSAEPROTONOSUPPORT, true),
    /** The caller gave up its request while it was pending (its connect timed out or it closed). */
    WITHDRAWN(11, WinsockError.WSAEACCES, false),
    /** The callee's condition failed with an exception; the request was rejected. */
    CONDITION_FAILED(12, WinsockError.WSAECONNREFUSED, false),
    /** User data (caller data with early messages, callee, reason or disconnect data) exceeded the receiver's limit. */
    DATA_TOO_LARGE(13, WinsockError.WSAEMSGSIZE, false),
    /**
     * Version 2, in QOS_ANSWER: the callee refused the caller's QoS request because its own crossed it; the
     * caller may ask again once the callee's is answered.
     */
    QOS_COLLISION(14, WinsockError.WSAEALREADY, false),
    /** Local only: the transport ended (end of stream) without a disconnect. */
    TRANSPORT_CLOSED(256, WinsockError.WSAECONNABORTED, true),
    /** Local only: the transport was reset. */
    TRANSPORT_RESET(257, WinsockError.WSAECONNRESET, true),
    /** Local only: the peer does not speak the Parley protocol. */
    NOT_PARLEY(258, WinsockError.WSAEPROTONOSUPPORT, true);

    private final int code;
    private final WinsockError winsockError;
    private final boolean localOnly;

    ReasonCode(int code, WinsockError winsockError, boolean localOnly) {
        this.code = code;
        this.winsockError = winsockError;
        this.localOnly = localOnly;
    }

    /**
     * The 16-bit value on the wire.
     *
     * @return the 16-bit value on the wire
     */
    public int code() {
        return code;
    }

    /**
     * The Winsock error this reason corresponds to.
     *
     * @return the Winsock error this reason corresponds to
     */
    public WinsockError winsockError() {
        return winsockError;
    }

    /**
     * True for reasons that describe a local observation and are never sent.
     *
     * @return true for reasons that describe a local observation and are never sent
     */
    public boolean isLocalOnly() {
        return localOnly;
    }

    /**
     * The reason for a wire value; codes this version does not know, and local-only ones, map to UNSPECIFIED.
     *
     * @param code the wire value
     * @return the reason
     */
    public static ReasonCode ofWire(int code) {
        for (ReasonCode reason : values()) {
            if (reason.code == code && !reason.localOnly) {
                return reason;
            }
        }
        return UNSPECIFIED;
    }
}
