package io.parley.protocol;

import io.parley.CloseIndication;
import io.parley.Group;
import io.parley.GroupKind;
import io.parley.Qos;
import io.parley.ReasonCode;
import io.parley.WinsockError;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One connection's protocol state machine, in either role, with no I/O: feed it the bytes the transport
 * received ({@link #receive}), the transport's end ({@link #receiveEndOfStream}, {@link #receiveReset}) and
 * the time ({@link #handleTimeout}); give it commands; take the bytes to send ({@link #takeOutput}) and the
 * events ({@link #pollMessage} then {@link #pollEvent}). Not thread-safe: one driver owns it, or guards it with
 * a lock. Which input is legal in which state, and where it leads, is {@link StateTable}.
 *
 * <p>Guarantees: no DATA or DISCONNECT is sent after the local DISCONNECT (only the DISCONNECT_ACK of the
 * peer's DISCONNECT, or an ABORT, may follow it); exactly one DISCONNECT_ACK, as soon as the peer's
 * DISCONNECT arrived; nothing at all after an ABORT or REJECT; every message the peer sent before its
 * DISCONNECT is delivered before {@link ProtocolEvent.PeerDisconnected}; the end is graceful only once both
 * DISCONNECTs crossed and the peer acknowledged this side's, and a transport end while only that
 * acknowledgement is missing is unconfirmed, never graceful; a peer's protocol violation becomes an ABORT
 * with a reason code and never escapes as an exception.
 *
 * <p>Early messages: a caller gives them with {@link #connect}; a callee reports the messages that arrive
 * while REQUESTED as events after {@link ProtocolEvent.ConnectRequested}, as they arrive, also if it then
 * rejects: its driver withholds them from the application until it accepts.
 */
public final class ProtocolEngine {
    /** The time between two PENDING frames for a deferred request. */
    public static final long PENDING_INTERVAL_NANOS = 1_000_000_000L;
    /** The first output buffer's size: a handshake's frames fit; it grows with the first larger send. */
    private static final int INITIAL_OUTPUT = 64;

    /** Which end of the connection an engine is. */
    public enum Role {
        /** The side that connects (WSAConnect). */
        CALLER,
        /** The side that accepts (WSAAccept). */
        CALLEE
    }

    private final Role role;
    private final EngineConfig config;
    private final FrameDecoder decoder;
    /** Events in order; a received message is queued as its bare byte[] (no event object per message). */
    private final ArrayDeque<Object> events = new ArrayDeque<>(4);
    /**
     * Where commands encode; allocated on first use. A second buffer ({@code spare}) exists only once output
     * was encoded while a batch was taken: until then the released batch's buffer is reused, so an engine
     * holds at most one buffer unless its driver writes and encodes at the same time.
     */
    private OutputBuffer output;
    /** The taken batch's buffer while {@link #outputTaken}; afterwards the second buffer, if one exists. */
    private OutputBuffer spare;
    private boolean outputTaken;
    private final long handshakeDeadline;
    private EngineState state;
    private CloseIndication outcome;
    private boolean receivedAnything;
    private boolean peerEnded;
    private boolean peerClosed;
    private boolean preambleSent;
    private Qos requestedQos;
    /** The protocol version the preambles agreed on; 0 until the peer's preamble arrived. */
    private int version;
    /** This side's QOS_REQUEST while unanswered (version 2); else null. */
    private Qos ownQosRequest;
    /** The peer's QOS_REQUEST while this side has not answered it (version 2); else null. */
    private Qos peerQosRequest;
    /** Callee: when the last PENDING went out, while the request is deferred; else {@link #NOT_DEFERRED}. */
    private long lastPendingSent = NOT_DEFERRED;
    private static final long NOT_DEFERRED = Long.MIN_VALUE;
    private Frame.Connect request;
    private long peerMaxMessage;
    private int peerMaxCalleeData;
    private int peerMaxDisconnectData;
    private int peerMaxReasonData;
    /** Caller: the reason data of the REJECT that refused the request. */
    private byte[] refusalData = new byte[0];
    /** Callee while REQUESTED: what the early messages the caller declared may still take. */
    private long earlyRoom;

    private ProtocolEngine(Role role, EngineConfig config, long handshakeDeadline) {
        this.role = role;
        this.config = config;
        this.decoder = new FrameDecoder(config.receiveLimits());
        this.decoder.deliverMessages();
        this.handshakeDeadline = handshakeDeadline;
        this.state = role == Role.CALLER ? EngineState.IDLE : EngineState.AWAITING_REQUEST;
    }

    /**
     * An engine for the side that connects.
     *
     * @param config            what this side accepts and how it sends
     * @param handshakeDeadline when (in nanos, as {@link #handleTimeout} is told) the handshake must be done
     * @return a caller engine in IDLE
     */
    public static ProtocolEngine caller(EngineConfig config, long handshakeDeadline) {
        return new ProtocolEngine(Role.CALLER, config, handshakeDeadline);
    }

    /**
     * An engine for the side that accepts.
     *
     * @param config            what this side accepts and how it sends
     * @param handshakeDeadline when (in nanos) the caller's request must have arrived
     * @return a callee engine in AWAITING_REQUEST
     */
    public static ProtocolEngine callee(EngineConfig config, long handshakeDeadline) {
        return new ProtocolEngine(Role.CALLEE, config, handshakeDeadline);
    }

    /**
     * This engine's role.
     *
     * @return caller or callee
     */
    public Role role() {
        return role;
    }

    /**
     * The current state.
     *
     * @return the state
     */
    public EngineState state() {
        return state;
    }

    /**
     * How the connection ended.
     *
     * @return the outcome, empty while the connection has not ended
     */
    public Optional<CloseIndication> outcome() {
        return Optional.ofNullable(outcome);
    }

    /**
     * The protocol version both preambles agreed on.
     *
     * @return the version, 0 until the peer's preamble arrived
     */
    public int version() {
        return version;
    }

    /**
     * The peer's QoS request this side has not answered (version 2).
     *
     * @return the request, empty if none waits for an answer
     */
    public Optional<Qos> unansweredQosRequest() {
        return Optional.ofNullable(peerQosRequest);
    }

    /**
     * The connection request (callee, from REQUESTED on, until {@link #forgetRequest()}).
     *
     * @return the request, empty before it arrived and once forgotten
     */
    public Optional<Frame.Connect> request() {
        return Optional.ofNullable(request);
    }

    /**
     * Lets go of the connection request once the driver has read what it needs from it: {@link #request()}
     * is empty from then on. Without this call the request (with its caller data) stays held for as
     * long as the engine is referenced.
     *
     * @throws IllegalStateException while the request waits for a decision (REQUESTED): accepting needs it
     */
    public void forgetRequest() {
        if (state == EngineState.REQUESTED) {
            throw new IllegalStateException("the request waits for a decision");
        }
        request = null;
    }

    /**
     * The largest message the peer accepts.
     *
     * @return the peer's limit, known once the handshake is done (0 before)
     */
    public long peerMaxMessageSize() {
        return peerMaxMessage;
    }

    /**
     * The largest disconnect data the peer accepts.
     *
     * @return the peer's limit, known once the handshake is done (0 before)
     */
    public int peerMaxDisconnectData() {
        return peerMaxDisconnectData;
    }

    /**
     * The largest callee data the caller accepts (callee, once the request arrived).
     *
     * @return the caller's limit, 0 before the request arrived
     */
    public int peerMaxCalleeData() {
        return peerMaxCalleeData;
    }

    /**
     * The largest REJECT reason data the caller accepts (callee, once the request arrived).
     *
     * @return the caller's limit, 0 before the request arrived
     */
    public int peerMaxReasonData() {
        return peerMaxReasonData;
    }

    /**
     * The reason data of the callee's REJECT (caller).
     *
     * @return a copy of the reason data; empty unless a REJECT arrived
     */
    public byte[] refusalData() {
        return refusalData.clone();
    }

    /**
     * True once the local DISCONNECT (or ABORT or REJECT) has been encoded: no message will be sent.
     *
     * @return whether this side's sending direction has ended
     */
    public boolean isSendingDone() {
        return switch (state) {
            case SEND_CLOSED, SEND_CONFIRMED, CLOSING, CLOSED -> true;
            default -> false;
        };
    }

    /**
     * True once this side will encode no frame at all any more, except an ABORT: its DISCONNECT and the
     * DISCONNECT_ACK of the peer's are encoded (or the connection ended). A transport may then shut down its
     * sending direction (TCP FIN) once the output is written.
     *
     * @return whether everything this side sends in a graceful end is encoded
     */
    public boolean isOutputComplete() {
        return state == EngineState.CLOSING || state == EngineState.CLOSED;
    }

    /**
     * True once the peer's sending has ended (its DISCONNECT or ABORT, a transport end or reset).
     *
     * @return whether nothing more will be received
     */
    public boolean isReceivingDone() {
        return switch (state) {
            case RECEIVE_CLOSED, CLOSING, CLOSED -> true;
            default -> false;
        };
    }

    /**
     * True if the peer's DISCONNECT said it closed: whatever is sent to it now is discarded.
     *
     * @return whether the peer closed
     */
    public boolean isPeerClosed() {
        return peerClosed;
    }

    /**
     * True once the peer acknowledged this side's DISCONNECT, and so everything sent before it.
     *
     * @return whether this side's DISCONNECT is confirmed
     */
    public boolean isDisconnectAcknowledged() {
        return state == EngineState.SEND_CONFIRMED || outcome != null && outcome.isGraceful();
    }

    /**
     * The time by which {@link #handleTimeout} must be called: the handshake deadline while the handshake
     * runs, the next PENDING while a request is deferred.
     *
     * @return the deadline in nanos, or Long.MAX_VALUE for none
     */
    public long deadline() {
        return switch (state) {
            case IDLE, CONNECTING, AWAITING_REQUEST -> handshakeDeadline;
            case REQUESTED -> lastPendingSent == NOT_DEFERRED ? Long.MAX_VALUE
                    : lastPendingSent + PENDING_INTERVAL_NANOS;
            default -> Long.MAX_VALUE;
        };
    }

    // ---------------------------------------------------------------- inputs

    /**
     * Consumes all of {@code bytes} from the transport and turns them into events (and perhaps output).
     *
     * @param bytes what the transport received; consumed entirely
     */
    public void receive(ByteBuffer bytes) {
        if (bytes.hasRemaining()) {
            receivedAnything = true;
        }
        try {
            boolean more = bytes.hasRemaining();
            while (state != EngineState.CLOSED && more) {
                Frame frame = decoder.next(bytes);
                if (frame != null) {
                    handle(frame);
                }
                // A reported DATA header has its payload (possibly empty) still to be decoded.
                more = bytes.hasRemaining() || frame == FrameDecoder.DATA_HEADER;
            }
        } catch (ProtocolViolationException e) {
            violated(e);
        }
        bytes.position(bytes.limit());
    }

    /** The transport's inbound direction ended (TCP FIN, read returned -1). */
    public void receiveEndOfStream() {
        peerEnded = true;
        StateTable.Transition t = StateTable.transition(state, Input.END_OF_STREAM);
        String detail;
        if (t.effect() == StateTable.Effect.UNCONFIRMED) {
            detail = "the transport ended before the peer acknowledged this side's disconnect";
        } else if (state == EngineState.CONNECTING && !receivedAnything) {
            detail = "the callee closed the transport without answering";
        } else if (decoder.isMidFrame()) {
            detail = "the transport ended in the middle of a frame";
        } else {
            detail = "the transport ended without a disconnect";
        }
        end(t, ReasonCode.TRANSPORT_CLOSED, detail);
    }

    /**
     * The transport was reset (TCP RST) or failed.
     *
     * @param detail what the transport said
     */
    public void receiveReset(String detail) {
        peerEnded = true;
        end(StateTable.transition(state, Input.RESET), ReasonCode.TRANSPORT_RESET, detail);
    }

    /**
     * True once the transport's inbound direction ended or was reset.
     *
     * @return whether the transport's input ended
     */
    public boolean isTransportEnded() {
        return peerEnded;
    }

    /**
     * Tells the engine the time: past the handshake deadline the handshake is abandoned with TIMED_OUT; a
     * deferred request's PENDING is repeated when due.
     *
     * @param now the time in nanos, on the clock the deadlines were given on
     */
    public void handleTimeout(long now) {
        long deadline = deadline();
        if (deadline == Long.MAX_VALUE || now - deadline < 0) {
            return;
        }
        StateTable.Transition t = StateTable.transition(state, Input.DEADLINE);
        if (state == EngineState.REQUESTED) {
            sendPending(now);
            return;
        }
        if (state != EngineState.IDLE) {
            abortFrame(role == Role.CALLER ? ReasonCode.WITHDRAWN : ReasonCode.TIMED_OUT, "handshake timed out");
        }
        end(t, ReasonCode.TIMED_OUT, role == Role.CALLER ? "no answer to the connection request in time"
                : "no connection request in time");
    }

    // ---------------------------------------------------------------- commands

    /**
     * Caller: sends the preamble, the connection request and the early messages, in that order. Each early
     * message costs its size plus 4 bytes; the caller data and that cost together may be at most
     * {@link WireFormat#MAX_USER_DATA}. The callee's own limit is not known here: a request over it is
     * refused.
     *
     * @param qos           the requested QoS, empty for none
     * @param group         the group request, empty for none
     * @param callerData    the caller data, possibly empty
     * @param earlyMessages the messages to send before the answer, possibly none
     * @throws IllegalCommandException WSAEISCONN if not IDLE; WSAEMSGSIZE over the protocol's maximum
     * @throws NullPointerException    if an argument is null (an absent QoS or group is {@code Optional.empty()})
     */
    public void connect(Optional<Qos> qos, Optional<Group> group, byte[] callerData, List<byte[]> earlyMessages) {
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(group, "group");
        require(Input.CONNECT, WinsockError.WSAEISCONN);
        long early = 0;
        for (byte[] message : earlyMessages) {
            early += message.length + WireFormat.EARLY_MESSAGE_OVERHEAD;
        }
        // Checked before anything is encoded: the encoder would fail after the preamble was written.
        if (callerData.length + early > WireFormat.MAX_USER_DATA) {
            throw new IllegalCommandException(WinsockError.WSAEMSGSIZE, "caller data of " + callerData.length
                    + " bytes and early messages costing " + early + " exceed the protocol's maximum of "
                    + WireFormat.MAX_USER_DATA);
        }
        FrameLimits own = config.receiveLimits();
        FrameEncoder.preamble(WireFormat.VERSION, config.maxVersion(), out());
        preambleSent = true;
        // Encoded from the caller's arrays as they are (a Frame would copy them): nothing keeps them.
        FrameEncoder.connect(own.maxMessageSize(), own.maxCalleeData(), own.maxDisconnectData(),
                own.maxReasonData(), early, qos.orElse(null), group.orElse(null), callerData, out());
        for (byte[] message : earlyMessages) {
            encodeMessage(ByteBuffer.wrap(message));
        }
        requestedQos = qos.orElse(null);
        state = StateTable.transition(state, Input.CONNECT).to();
    }

    /**
     * Callee: accepts the request.
     *
     * @param calleeData the callee data, at most the caller's max callee data
     * @param grantedQos the granted QoS (not more than requested), empty for none
     * @param group      the group the connection joins, empty for none
     * @throws IllegalCommandException WSAENOTCONN if not REQUESTED; WSAEMSGSIZE for callee data over the
     *                                 caller's limit; WSAEINVAL for a QoS the request does not allow, or, in
     *                                 version 2, a group whose kind is not the group's (UNCONSTRAINED or
     *                                 CONSTRAINED)
     * @throws NullPointerException    if an argument is null (an absent QoS or group is {@code Optional.empty()})
     */
    public void accept(byte[] calleeData, Optional<Qos> grantedQos, Optional<Group> group) {
        Objects.requireNonNull(grantedQos, "grantedQos");
        Objects.requireNonNull(group, "group");
        require(Input.ACCEPT, WinsockError.WSAENOTCONN);
        if (calleeData.length > peerMaxCalleeData) {
            throw new IllegalCommandException(WinsockError.WSAEMSGSIZE, "callee data of " + calleeData.length
                    + " bytes exceeds the caller's limit of " + peerMaxCalleeData);
        }
        if (grantedQos.isPresent() && (request.qos().isEmpty()
                || !grantedQos.get().doesNotExceed(request.qos().get()))) {
            throw new IllegalCommandException(WinsockError.WSAEINVAL,
                    "the granted QoS must not exceed the requested one (and needs a request)");
        }
        FrameLimits own = config.receiveLimits();
        if (version >= WireFormat.QOS_RENEGOTIATION_VERSION && group.isPresent()
                && group.get().kind() != GroupKind.UNCONSTRAINED && group.get().kind() != GroupKind.CONSTRAINED) {
            throw new IllegalCommandException(WinsockError.WSAEINVAL,
                    "a version 2 ACCEPT names the group's kind, UNCONSTRAINED or CONSTRAINED, not " + group.get().kind());
        }
        // Version 1 carries no group kind: there the group is sent as "a member of group id".
        Group sent = group.map(g -> version >= WireFormat.QOS_RENEGOTIATION_VERSION || g.kind() == GroupKind.JOIN
                ? g : new Group(GroupKind.JOIN, g.id(), g.priority())).orElse(null);
        FrameEncoder.accept(own.maxMessageSize(), own.maxDisconnectData(), grantedQos.orElse(null), sent,
                calleeData, out());
        decoder.reportDataHeaders(false);
        lastPendingSent = NOT_DEFERRED;
        state = StateTable.transition(state, Input.ACCEPT).to();
    }

    /**
     * Callee: refuses the request with a reason; the connection ends (REFUSED).
     *
     * @param reason     a reason that may be sent (not local-only)
     * @param reasonData reason data for the caller, at most the caller's max reason data
     * @throws IllegalCommandException WSAENOTCONN if not REQUESTED; WSAEINVAL for a local-only reason;
     *                                 WSAEMSGSIZE for reason data over the caller's limit
     */
    public void reject(ReasonCode reason, byte[] reasonData) {
        require(Input.REJECT, WinsockError.WSAENOTCONN);
        requireSendable(reason);
        if (reasonData.length > peerMaxReasonData) {
            throw new IllegalCommandException(WinsockError.WSAEMSGSIZE, "reason data of " + reasonData.length
                    + " bytes exceeds the caller's limit of " + peerMaxReasonData);
        }
        FrameEncoder.reject(reason.code(), reasonData, out());
        end(StateTable.transition(state, Input.REJECT), reason, text(reasonData));
    }

    /**
     * Callee: defers the decision; sends PENDING unless one went out within the PENDING interval, and from
     * then on one each interval ({@link #deadline()}) until the request is decided.
     *
     * @param now the time in nanos
     * @throws IllegalCommandException WSAENOTCONN if not REQUESTED
     */
    public void defer(long now) {
        require(Input.DEFER, WinsockError.WSAENOTCONN);
        if (lastPendingSent == NOT_DEFERRED || now - lastPendingSent >= PENDING_INTERVAL_NANOS) {
            sendPending(now);
        }
    }

    /**
     * Sends one message (fragmented as needed); the bytes between position and limit are consumed.
     *
     * @param message the message
     * @throws IllegalCommandException WSAENOTCONN before OPEN; WSAESHUTDOWN once this side's sending ended or
     *                                 the peer closed; WSAEMSGSIZE over the peer's max message size
     */
    public void send(ByteBuffer message) {
        requireSendingOpen(Input.SEND);
        if (peerClosed) {
            throw new IllegalCommandException(WinsockError.WSAESHUTDOWN,
                    "the peer has closed and discards anything sent to it");
        }
        int size = message.remaining();
        if (size > peerMaxMessage) {
            throw new IllegalCommandException(WinsockError.WSAEMSGSIZE, "message of " + size
                    + " bytes exceeds the peer's limit of " + peerMaxMessage);
        }
        encodeMessage(message);
    }

    /**
     * Ends the sending direction with disconnect data.
     *
     * @param data    the disconnect data, at most the peer's max disconnect data
     * @param closing true if this side closes: it discards what comes next (the DISCONNECT says CLOSED)
     * @throws IllegalCommandException WSAENOTCONN before OPEN; WSAESHUTDOWN once sent; WSAEMSGSIZE over the
     *                                 peer's limit
     */
    public void sendDisconnect(byte[] data, boolean closing) {
        // Allowed even when the peer has closed: its data is discarded, but it completes the graceful end.
        requireSendingOpen(Input.SEND_DISCONNECT);
        if (data.length > peerMaxDisconnectData) {
            throw new IllegalCommandException(WinsockError.WSAEMSGSIZE, "disconnect data of " + data.length
                    + " bytes exceeds the peer's limit of " + peerMaxDisconnectData);
        }
        if (peerQosRequest != null) {
            // No QOS_ANSWER follows this side's DISCONNECT: an undecided request is refused before it (13.2).
            FrameEncoder.qosAnswer(null, ReasonCode.SHUTTING_DOWN.code(), out());
            peerQosRequest = null;
        }
        FrameEncoder.disconnect(closing && state == EngineState.OPEN, data, out());
        state = StateTable.transition(state, Input.SEND_DISCONNECT).to();
    }

    /**
     * Ends both directions at once with a reason; does nothing once the connection has ended. Aborting while
     * only the acknowledgement of this side's DISCONNECT is awaited ends the connection as unconfirmed.
     *
     * @param reason a reason that may be sent (not local-only)
     * @param detail a description, sent (clipped to 1024 bytes) as the ABORT's reason data
     * @throws IllegalCommandException WSAEINVAL for a local-only reason
     */
    public void abort(ReasonCode reason, String detail) {
        if (state == EngineState.CLOSED) {
            return;
        }
        requireSendable(reason);
        if (state != EngineState.IDLE) {
            abortFrame(reason, detail);
        }
        end(StateTable.transition(state, Input.ABORT), reason, detail);
    }

    /**
     * Asks the peer for a new QoS for the connection (QOS_REQUEST, SIO_SET_QOS; version 2): its answer comes as
     * {@link ProtocolEvent.QosAnswered}. At most one request is unanswered at a time.
     *
     * @param qos the QoS asked for, from the caller's point of view
     * @throws IllegalCommandException WSAENOTCONN before OPEN; WSAESHUTDOWN once a DISCONNECT was sent or
     *                                 received; WSAEOPNOTSUPP when the preambles agreed on version 1;
     *                                 WSAEALREADY while an earlier request of this side's is unanswered, or, for
     *                                 a callee, while it has not answered the caller's
     */
    public void requestQos(Qos qos) {
        Objects.requireNonNull(qos, "qos");
        requireSendingOpen(Input.REQUEST_QOS);
        if (version < WireFormat.QOS_RENEGOTIATION_VERSION) {
            throw new IllegalCommandException(WinsockError.WSAEOPNOTSUPP,
                    "the peer speaks protocol version " + version + ", which cannot renegotiate QoS");
        }
        if (ownQosRequest != null) {
            throw new IllegalCommandException(WinsockError.WSAEALREADY, "a QoS request is still unanswered");
        }
        if (role == Role.CALLEE && peerQosRequest != null) {
            // Else the two grants could be applied in different orders on the two sides (protocol.md 13.1).
            throw new IllegalCommandException(WinsockError.WSAEALREADY,
                    "the caller's QoS request waits for this side's answer");
        }
        FrameEncoder.qosRequest(qos, out());
        ownQosRequest = qos;
    }

    /**
     * Grants the peer's QoS request ({@link ProtocolEvent.QosRequested}) with {@code granted}, which is the
     * connection's QoS from now on (version 2).
     *
     * @param granted the granted QoS: not more than requested, as for ACCEPT
     * @throws IllegalCommandException WSAEINVAL with no request to answer, or for a QoS above the request
     */
    public void grantQos(Qos granted) {
        requireQosRequest();
        if (!granted.doesNotExceed(peerQosRequest)) {
            throw new IllegalCommandException(WinsockError.WSAEINVAL, "the granted QoS must not exceed the requested one");
        }
        FrameEncoder.qosAnswer(granted, 0, out());
        peerQosRequest = null;
    }

    /**
     * Refuses the peer's QoS request ({@link ProtocolEvent.QosRequested}); the connection's QoS stays as it was.
     *
     * @param reason a reason that may be sent, such as REFUSED or QOS_NOT_SUPPORTED
     * @throws IllegalCommandException WSAEINVAL with no request to answer, or for a local-only reason
     */
    public void refuseQos(ReasonCode reason) {
        requireQosRequest();
        requireSendable(reason);
        FrameEncoder.qosAnswer(null, reason.code(), out());
        peerQosRequest = null;
    }

    private void requireQosRequest() {
        require(Input.ANSWER_QOS, WinsockError.WSAEINVAL);
        if (peerQosRequest == null) {
            throw new IllegalCommandException(WinsockError.WSAEINVAL, "no QoS request of the peer waits for an answer");
        }
    }

    /**
     * Encodes a KEEPALIVE frame, an ignorable extension that receivers skip (protocol.md §9.1), so that a
     * driver which stopped reading learns of a reset transport from the failing write. Changes no state; does
     * nothing before this side's preamble was sent or once the connection has ended.
     */
    public void sendKeepalive() {
        if (preambleSent && state != EngineState.CLOSED) {
            FrameEncoder.keepalive(out());
        }
    }

    // ---------------------------------------------------------------- outputs

    /**
     * Removes and returns the next event; a received message comes as {@link ProtocolEvent.MessageReceived},
     * which (being immutable) copies it: take messages with {@link #pollMessage} first to avoid that copy. A
     * queue poll, like {@link java.util.Queue#poll()}: null means the queue is empty for now, not an absent
     * value, and the driver calls it until then.
     *
     * @return the event, or null if there is none
     */
    public ProtocolEvent pollEvent() {
        Object next = events.poll();
        return next instanceof byte[] message ? new ProtocolEvent.MessageReceived(message) : (ProtocolEvent) next;
    }

    /**
     * If the next event is a received message, removes it and returns the message itself; otherwise returns
     * null and leaves the next event (if any) queued for {@link #pollEvent}. Events keep their order: a driver
     * that calls this first, and {@link #pollEvent} whenever it returns null, sees every event in order, with
     * no event object allocated per message. A queue poll, like {@link java.util.Queue#poll()}.
     *
     * <p>The message is handed over, not copied: the array is the one the engine received the message into,
     * and the engine keeps no reference to it once it is returned, so it belongs to the caller, who may
     * modify or keep it. This is the one place the package hands out an array without copying it: the
     * receive path makes no copy of a message on its way to the driver.
     *
     * @return the next message, or null if the next event is not one
     */
    public byte[] pollMessage() {
        if (events.peek() instanceof byte[] message) {
            events.poll();
            return message;
        }
        return null;
    }

    /**
     * Bytes encoded and not yet taken.
     *
     * @return how many bytes wait to be taken
     */
    public int pendingOutput() {
        return output == null ? 0 : output.length();
    }

    /**
     * Hands the encoded bytes to the driver, to be written in order, or returns null if there are none (or
     * the previous batch was not released yet): a poll, like {@link java.util.Queue#poll()}, so null means
     * "nothing to write now". The buffer is lent, not copied: it wraps the engine's own output array (a
     * transport may write straight from {@link ByteBuffer#array()}), the driver only reads it, and it stays
     * valid until {@link #releaseOutput()}, after which the engine reuses it.
     *
     * @return the bytes to write, or null
     */
    public ByteBuffer takeOutput() {
        if (outputTaken || output == null || output.length() == 0) {
            return null;
        }
        OutputBuffer taken = output;
        output = spare;
        spare = taken;
        outputTaken = true;
        return taken.view();
    }

    /** Says the driver has written the last taken batch; its buffer is reused. */
    public void releaseOutput() {
        if (!outputTaken) {
            return;
        }
        spare.clear();
        outputTaken = false;
        if (output == null) {
            // Nothing was encoded meanwhile: the released buffer takes the next output; no second one is made.
            output = spare;
            spare = null;
        }
    }

    private OutputBuffer out() {
        if (output == null) {
            output = new OutputBuffer(INITIAL_OUTPUT);
        }
        return output;
    }

    // ---------------------------------------------------------------- internals

    private void handle(Frame frame) throws ProtocolViolationException {
        if (frame == FrameDecoder.DATA_HEADER) {
            chargeEarly(decoder.dataHeaderCharge());
            return;
        }
        StateTable.Transition t = StateTable.transition(state, Input.ofFrame(frame.type()));
        if (t == null) {
            throw new ProtocolViolationException(ReasonCode.PROTOCOL_VIOLATION,
                    frame.type() + " is not allowed in state " + state);
        }
        switch (frame) {
            case Frame.Preamble p -> preamble(p);
            case Frame.Connect c -> {
                // The decoder's own array: the request frame holds a copy, the event copies it once.
                byte[] callerData = decoder.takeUserData();
                request = c;
                peerMaxMessage = c.maxMessageSize();
                peerMaxCalleeData = c.maxCalleeData();
                peerMaxDisconnectData = c.maxDisconnectData();
                peerMaxReasonData = c.maxReasonData();
                earlyRoom = c.earlyLength();
                decoder.reportDataHeaders(true);
                events.add(new ProtocolEvent.ConnectRequested(c.qos(), c.group(), callerData));
            }
            case Frame.Accept a -> {
                if (a.qos().isPresent() && (requestedQos == null || !a.qos().get().doesNotExceed(requestedQos))) {
                    throw new ProtocolViolationException(ReasonCode.PROTOCOL_VIOLATION,
                            "the granted QoS exceeds the requested one (or none was requested)");
                }
                peerMaxMessage = a.maxMessageSize();
                peerMaxDisconnectData = a.maxDisconnectData();
                events.add(new ProtocolEvent.Accepted(a.qos(), a.group(), decoder.takeUserData()));
            }
            case Frame.Reject r -> {
                refusalData = decoder.takeUserData(); // nothing else holds it; refusalData() hands out copies
                end(t, r.reason(), text(refusalData));
                return;
            }
            case Frame.Pending p -> events.add(new ProtocolEvent.Deferred());
            case Frame.Data d -> {
                // The decoder delivers messages (deliverMessages): FRAGMENT went into the message being joined.
                if (d == FrameDecoder.MESSAGE) {
                    events.add(decoder.takeMessage());
                }
            }
            case Frame.MessageSize m -> {
                // The decoder sizes the message it joins and checks the fragments; only early ones cost here.
                if (state == EngineState.REQUESTED) {
                    requireEarlyRoom(m.size() + WireFormat.EARLY_MESSAGE_OVERHEAD);
                }
            }
            case Frame.Disconnect d -> {
                peerClosed = d.closed();
                if (ownQosRequest != null) {
                    // The peer answers before its DISCONNECT or not at all: this side's request is refused.
                    ownQosRequest = null;
                    events.add(new ProtocolEvent.QosAnswered(Optional.empty(), ReasonCode.SHUTTING_DOWN));
                }
                events.add(new ProtocolEvent.PeerDisconnected(decoder.takeUserData(), d.closed()));
                FrameEncoder.disconnectAck(out());
            }
            case Frame.DisconnectAck a -> {
                // The state change is all: the peer has everything this side sent.
            }
            case Frame.Abort a -> {
                end(t, a.reason(), text(decoder.takeUserData()));
                return;
            }
            case Frame.QosRequest q -> qosRequested(q.qos());
            case Frame.QosAnswer a -> qosAnswered(a);
        }
        end(t, ReasonCode.UNSPECIFIED, "");
    }

    private void preamble(Frame.Preamble p) throws ProtocolViolationException {
        if (role == Role.CALLEE) {
            FrameEncoder.preamble(WireFormat.VERSION, config.maxVersion(), out());
            preambleSent = true;
        }
        int chosen = Math.min(p.maxVersion(), config.maxVersion());
        if (chosen < Math.max(p.minVersion(), WireFormat.VERSION)) {
            throw new ProtocolViolationException(ReasonCode.VERSION_UNSUPPORTED, "the peer speaks versions "
                    + p.minVersion() + ".." + p.maxVersion() + ", this side speaks " + WireFormat.VERSION + ".."
                    + config.maxVersion());
        }
        version = chosen;
        decoder.useVersion(chosen);
    }

    /**
     * The peer asks for a new QoS. While this side's own request is unanswered, a callee refuses the caller's
     * (QOS_COLLISION) and a caller reports the callee's as usual, so that both sides apply the same answers.
     */
    private void qosRequested(Qos requested) throws ProtocolViolationException {
        if (isSendingDone()) {
            // Sent before the peer saw this side's DISCONNECT: it takes that DISCONNECT for the refusal.
            return;
        }
        if (peerQosRequest != null) {
            throw new ProtocolViolationException(ReasonCode.PROTOCOL_VIOLATION,
                    "a second QOS_REQUEST before the first was answered");
        }
        if (role == Role.CALLEE && ownQosRequest != null) {
            FrameEncoder.qosAnswer(null, ReasonCode.QOS_COLLISION.code(), out());
            return;
        }
        peerQosRequest = requested;
        events.add(new ProtocolEvent.QosRequested(requested));
    }

    private void qosAnswered(Frame.QosAnswer answer) throws ProtocolViolationException {
        if (ownQosRequest == null) {
            throw new ProtocolViolationException(ReasonCode.PROTOCOL_VIOLATION, "a QOS_ANSWER to no QOS_REQUEST");
        }
        if (answer.granted().isPresent() && !answer.granted().get().doesNotExceed(ownQosRequest)) {
            throw new ProtocolViolationException(ReasonCode.PROTOCOL_VIOLATION,
                    "the granted QoS exceeds the requested one");
        }
        ownQosRequest = null;
        events.add(new ProtocolEvent.QosAnswered(answer.granted(), answer.granted().isPresent()
                ? ReasonCode.UNSPECIFIED : ReasonCode.ofWire(answer.reasonCode())));
    }

    /** Takes a transition: a new state, or the end its effect says, with that reason and detail. */
    private void end(StateTable.Transition t, ReasonCode reason, String detail) {
        if (t.effect() == StateTable.Effect.IGNORED) {
            return;
        }
        CloseIndication.Kind kind = t.effect().kind();
        if (kind == null) {
            state = t.to();
        } else {
            finish(kind == CloseIndication.Kind.GRACEFUL ? CloseIndication.GRACEFUL
                    : new CloseIndication(kind, reason, detail));
        }
    }

    private void violated(ProtocolViolationException e) {
        ReasonCode reason = e.reason();
        boolean version = reason == ReasonCode.VERSION_UNSUPPORTED;
        if (isRefusal(reason)) {
            byte[] detail = clip(e.getMessage().getBytes(StandardCharsets.UTF_8));
            FrameEncoder.reject(reason.code(), detail, out());
            finish(new CloseIndication(CloseIndication.Kind.ABORTED, reason, e.getMessage()));
            return;
        }
        if (!reason.isLocalOnly() && state != EngineState.IDLE) {
            abortFrame(reason, e.getMessage());
        }
        CloseIndication.Kind kind = version && role == Role.CALLER
                ? CloseIndication.Kind.REFUSED : CloseIndication.Kind.ABORTED;
        finish(new CloseIndication(kind, reason, e.getMessage()));
    }

    /**
     * True if a limit the caller could not know was exceeded: caller data with the early length at CONNECT,
     * or an early message over this side's max message size while the request is held. Such a request is
     * refused rather than called a violation; any other frame over its limit is a violation (ABORT).
     */
    private boolean isRefusal(ReasonCode reason) {
        int type = decoder.lastHeaderType();
        return switch (state) {
            case AWAITING_REQUEST -> reason == ReasonCode.DATA_TOO_LARGE && type == FrameType.CONNECT.code();
            case REQUESTED -> reason == ReasonCode.MESSAGE_TOO_LARGE
                    && (type == FrameType.DATA.code() || type == FrameType.MESSAGE_SIZE.code());
            default -> false;
        };
    }

    /** Charges an early DATA frame to what the caller declared; beyond it the caller broke its own word. */
    private void chargeEarly(long cost) throws ProtocolViolationException {
        requireEarlyRoom(cost);
        earlyRoom -= cost;
    }

    private void requireEarlyRoom(long cost) throws ProtocolViolationException {
        if (cost > earlyRoom) {
            throw new ProtocolViolationException(ReasonCode.PROTOCOL_VIOLATION, "early messages exceed the "
                    + request.earlyLength() + " bytes the CONNECT declared (" + earlyRoom + " left, " + cost
                    + " more)");
        }
    }

    private void encodeMessage(ByteBuffer message) {
        int size = message.remaining();
        int fragment = config.maxFragmentSize();
        if (size > fragment) {
            // More than one DATA frame: announce the size so the receiver allocates the message once.
            FrameEncoder.messageSize(size, out());
        }
        do {
            int count = Math.min(fragment, message.remaining());
            FrameEncoder.data(message.remaining() > count, message, count, out());
        } while (message.hasRemaining());
    }

    private void sendPending(long now) {
        FrameEncoder.pending(out());
        lastPendingSent = now;
    }

    private void abortFrame(ReasonCode reason, String detail) {
        if (!preambleSent) {
            // A callee that has not read the caller's preamble has not sent its own: without it the ABORT
            // would read as a foreign protocol. (A caller sends its preamble with CONNECT.)
            FrameEncoder.preamble(WireFormat.VERSION, config.maxVersion(), out());
            preambleSent = true;
        }
        FrameEncoder.abort(reason.code(), clip(detail.getBytes(StandardCharsets.UTF_8)), out());
    }

    private void finish(CloseIndication indication) {
        state = EngineState.CLOSED;
        outcome = indication;
        decoder.dropJoined();
        events.add(new ProtocolEvent.Closed(indication));
    }

    private void require(Input command, WinsockError error) {
        if (!StateTable.allows(state, command)) {
            throw new IllegalCommandException(state == EngineState.CLOSED ? closedError() : error,
                    command + " is not allowed in state " + state);
        }
    }

    private void requireSendingOpen(Input command) {
        WinsockError error = switch (state) {
            case IDLE, CONNECTING, AWAITING_REQUEST, REQUESTED -> WinsockError.WSAENOTCONN;
            default -> WinsockError.WSAESHUTDOWN;
        };
        require(command, error);
    }

    private WinsockError closedError() {
        return outcome == null || outcome.isGraceful() ? WinsockError.WSAESHUTDOWN : outcome.winsockError();
    }

    private static void requireSendable(ReasonCode reason) {
        if (reason.isLocalOnly()) {
            throw new IllegalCommandException(WinsockError.WSAEINVAL, reason + " is local only and cannot be sent");
        }
    }

    /** Reason data this side makes up itself fits any peer's limit: ABORT's, and the least REJECT limit. */
    private static byte[] clip(byte[] data) {
        int most = Math.min(WireFormat.MAX_ABORT_REASON_DATA, WireFormat.MIN_REASON_DATA_LIMIT);
        return data.length <= most ? data : Arrays.copyOf(data, most);
    }

    private static String text(byte[] reasonData) {
        return reasonData.length == 0 ? "" : new String(reasonData, StandardCharsets.UTF_8);
    }
}
