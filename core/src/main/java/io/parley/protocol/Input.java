package io.parley.protocol;

/**
 * What can happen to an engine: a complete inbound frame, a local command, or a transport event. The state
 * table ({@link StateTable}, docs/protocol.md "State machine") says for each state which inputs are legal and
 * where each leads.
 */
public enum Input {
    /** The peer's preamble arrived. */
    RECV_PREAMBLE(Kind.FRAME),
    /** A CONNECT arrived (with all its caller data). */
    RECV_CONNECT(Kind.FRAME),
    /** An ACCEPT arrived. */
    RECV_ACCEPT(Kind.FRAME),
    /** A REJECT arrived. */
    RECV_REJECT(Kind.FRAME),
    /** A PENDING arrived. */
    RECV_PENDING(Kind.FRAME),
    /** A DATA frame arrived. */
    RECV_DATA(Kind.FRAME),
    /** A MESSAGE_SIZE arrived. */
    RECV_MESSAGE_SIZE(Kind.FRAME),
    /** A DISCONNECT arrived (with all its disconnect data). */
    RECV_DISCONNECT(Kind.FRAME),
    /** A DISCONNECT_ACK arrived. */
    RECV_DISCONNECT_ACK(Kind.FRAME),
    /** An ABORT arrived. */
    RECV_ABORT(Kind.FRAME),
    /** A QOS_REQUEST arrived (version 2). */
    RECV_QOS_REQUEST(Kind.FRAME),
    /** A QOS_ANSWER arrived (version 2). */
    RECV_QOS_ANSWER(Kind.FRAME),
    /** Caller: send the preamble, CONNECT and the early messages (WSAConnect). */
    CONNECT(Kind.COMMAND),
    /** Callee: accept the request (CF_ACCEPT). */
    ACCEPT(Kind.COMMAND),
    /** Callee: reject the request (CF_REJECT). */
    REJECT(Kind.COMMAND),
    /** Callee: defer the decision (CF_DEFER). */
    DEFER(Kind.COMMAND),
    /** Send a message. */
    SEND(Kind.COMMAND),
    /** End the sending direction with disconnect data (WSASendDisconnect). */
    SEND_DISCONNECT(Kind.COMMAND),
    /** End both directions with a reason. */
    ABORT(Kind.COMMAND),
    /** The application asks for a new QoS (SIO_SET_QOS, version 2). */
    REQUEST_QOS(Kind.COMMAND),
    /** The application answers the peer's QoS request (version 2). */
    ANSWER_QOS(Kind.COMMAND),
    /** The transport's inbound direction ended (TCP FIN). */
    END_OF_STREAM(Kind.TRANSPORT),
    /** The transport was reset (TCP RST) or failed. */
    RESET(Kind.TRANSPORT),
    /** The time passed the engine's deadline. */
    DEADLINE(Kind.TRANSPORT);

    /** Where an input comes from. */
    public enum Kind {
        /** The peer: a complete inbound frame. */
        FRAME,
        /** The application: a command. */
        COMMAND,
        /** The transport or the clock. */
        TRANSPORT
    }

    private final Kind kind;

    Input(Kind kind) {
        this.kind = kind;
    }

    /**
     * Where this input comes from.
     *
     * @return frame, command or transport event
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The input a complete inbound frame of a type is.
     *
     * @param type a frame type other than CONTINUATION (which belongs to the frame it continues)
     * @return the matching input
     */
    static Input ofFrame(FrameType type) {
        return switch (type) {
            case PREAMBLE -> RECV_PREAMBLE;
            case CONNECT -> RECV_CONNECT;
            case ACCEPT -> RECV_ACCEPT;
            case REJECT -> RECV_REJECT;
            case PENDING -> RECV_PENDING;
            case DATA -> RECV_DATA;
            case MESSAGE_SIZE -> RECV_MESSAGE_SIZE;
            case DISCONNECT -> RECV_DISCONNECT;
            case DISCONNECT_ACK -> RECV_DISCONNECT_ACK;
            case ABORT -> RECV_ABORT;
            case QOS_REQUEST -> RECV_QOS_REQUEST;
            case QOS_ANSWER -> RECV_QOS_ANSWER;
            case CONTINUATION -> throw new IllegalArgumentException("CONTINUATION is part of the frame it continues");
        };
    }
}
