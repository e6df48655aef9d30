package io.parley.protocol;

import io.parley.CloseIndication;
import io.parley.Group;
import io.parley.Qos;
import io.parley.ReasonCode;
import io.parley.WinsockError;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * One connection's protocol state machine, in either role, with no I/O: feed it the bytes the transport
 * received ({@link #receive}), the transport's end ({@link #receiveEndOfStream}, {@link #receiveReset}) and
 * the time ({@link #handleTimeout}); give it commands; take the bytes to send ({@link #takeOutput}) and the
 * events ({@link #pollMessage} then {@link #pollEvent}). Not thread-safe: one driver owns it, or guards it with a lock.
 *
 * <p>Guarantees: no DATA or DISCONNECT is sent after the local DISCONNECT (only an ABORT may follow it),
 * one CLOSE_SEEN exactly when a DISCONNECT with CLOSED arrives before the local one,
 * nothing at all after an ABORT or REJECT; every message the peer sent before
 * its DISCONNECT is delivered before {@link ProtocolEvent.PeerDisconnected}; an end of stream or reset
 * without both DISCONNECTs is reported as aborted or reset, never as graceful; a peer's protocol violation
 * becomes an ABORT with a reason code and never escapes as an exception.
 *
 * <p>Early messages: a caller may send while CONNECTING; a callee reports the messages that arrive while
 * REQUESTED as events after {@link ProtocolEvent.ConnectRequested}, as they arrive, also if it then rejects:
 * its driver withholds them from the application until it accepts.
 */
public final class ProtocolEngine {
    /** The least time between two PENDING frames for the same request. */
    public static final long PENDING_INTERVAL_NANOS = 1_000_000_000L;
    /** The first output buffer's size: a handshake's frames fit; it grows with the first larger send. */
    private static final int INITIAL_OUTPUT = 64;
    private static final byte[] EMPTY = new byte[0];

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
    private boolean closeSeen;
    private boolean preambleSent;
    private Qos requestedQos;
    private long lastPendingSent = Long.MIN_VALUE;
    private Frame.Connect request;
    private long peerMaxMessage;
    private int peerMaxCalleeData;
    private int peerMaxDisconnectData;
    /** Caller in CONNECTING: what early messages may still take of the protocol's caller-data maximum. */
    private int earlyRoom;

    private ProtocolEngine(Role role, EngineConfig config, long handshakeDeadline) {
        this.role = role;
        this.config = config;
        this.decoder = new FrameDecoder(config.receiveLimits());
        this.decoder.deliverMessages();
        this.handshakeDeadline = handshakeDeadline;
        this.state = role == Role.CALLER ? EngineState.IDLE : EngineState.AWAITING_REQUEST;
    }

    /** An engine for the side that connects; the handshake must complete by {@code handshakeDeadline} (nanos). */
    public static ProtocolEngine caller(EngineConfig config, long handshakeDeadline) {
        return new ProtocolEngine(Role.CALLER, config, handshakeDeadline);
    }

    /** An engine for the side that accepts; the request must arrive by {@code handshakeDeadline} (nanos). */
    public static ProtocolEngine callee(EngineConfig config, long handshakeDeadline) {
        return new ProtocolEngine(Role.CALLEE, config, handshakeDeadline);
    }

    /** This engine's role. */
    public Role role() {
        return role;
    }

    /** The current state. */
    public EngineState state() {
        return state;
    }

    /** How the connection ended, or null while it has not. */
    public CloseIndication outcome() {
        return outcome;
    }

    /** The connection request (callee, from REQUESTED on, until {@link #forgetRequest()}), or null. */
    public Frame.Connect request() {
        return request;
    }

    /**
     * Lets go of the connection request once the driver has read what it needs from it: {@link #request()}
     * returns null from then on. Without this call the request (with its caller data) stays held for as
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

    /** The largest message the peer accepts (known once the handshake is done). */
    public long peerMaxMessageSize() {
        return peerMaxMessage;
    }

    /** The largest disconnect data the peer accepts (known once the handshake is done). */
    public int peerMaxDisconnectData() {
        return peerMaxDisconnectData;
    }

    /** True once the local DISCONNECT (or ABORT) has been encoded: nothing more will be sent. */
    public boolean isSendingDone() {
        return state == EngineState.SEND_CLOSED || state == EngineState.CLOSED;
    }

    /** True once the peer's sending has ended (its DISCONNECT or ABORT, a transport end or reset). */
    public boolean isReceivingDone() {
        return state == EngineState.RECEIVE_CLOSED || state == EngineState.CLOSED;
    }

    /** True if the peer's DISCONNECT said it closed: whatever is sent to it now is discarded. */
    public boolean isPeerClosed() {
        return peerClosed;
    }

    /**
     * True once the peer said (CLOSE_SEEN) that it received this side's DISCONNECT, and so everything sent
     * before it: a driver that closed may complete its close without waiting for the peer's DISCONNECT.
     */
    public boolean isCloseSeen() {
        return closeSeen;
    }

    /** The deadline (nanos) by which {@link #handleTimeout} must be called, or Long.MAX_VALUE for none. */
    public long deadline() {
        return switch (state) {
            case IDLE, CONNECTING, AWAITING_REQUEST -> handshakeDeadline;
            default -> Long.MAX_VALUE;
        };
    }

    // ---------------------------------------------------------------- inputs

    /** Consumes all of {@code bytes} from the transport and turns them into events (and perhaps output). */
    public void receive(ByteBuffer bytes) {
        if (bytes.hasRemaining()) {
            receivedAnything = true;
        }
        try {
            while (state != EngineState.CLOSED && bytes.hasRemaining()) {
                Frame frame = decoder.next(bytes);
                if (frame != null) {
                    handle(frame);
                }
            }
        } catch (ProtocolViolationException e) {
            violated(e);
        }
        bytes.position(bytes.limit());
    }

    /** The transport's inbound direction ended (TCP FIN, read returned -1). */
    public void receiveEndOfStream() {
        peerEnded = true;
        if (state == EngineState.CLOSED || state == EngineState.RECEIVE_CLOSED) {
            return;
        }
        String detail;
        if (state == EngineState.CONNECTING && !receivedAnything) {
            detail = "the callee closed the transport without answering";
        } else if (decoder.isMidFrame()) {
            detail = "the transport ended in the middle of a frame";
        } else {
            detail = "the transport ended without a disconnect";
        }
        finish(new CloseIndication(CloseIndication.Kind.ABORTED, ReasonCode.TRANSPORT_CLOSED, detail));
    }

    /** The transport was reset (TCP RST) or failed. */
    public void receiveReset(String detail) {
        peerEnded = true;
        if (state != EngineState.CLOSED) {
            finish(new CloseIndication(CloseIndication.Kind.RESET, ReasonCode.TRANSPORT_RESET, detail));
        }
    }

    /** True once the transport's inbound direction ended or was reset. */
    public boolean isTransportEnded() {
        return peerEnded;
    }

    /** Tells the engine the time; past {@link #deadline()} the handshake is abandoned with TIMED_OUT. */
    public void handleTimeout(long now) {
        if (now - deadline() >= 0 && deadline() != Long.MAX_VALUE) {
            ReasonCode sent = role == Role.CALLER ? ReasonCode.WITHDRAWN : ReasonCode.TIMED_OUT;
            if (state != EngineState.IDLE) {
                abortFrame(sent, "handshake timed out");
            }
            finish(new CloseIndication(CloseIndication.Kind.ABORTED, ReasonCode.TIMED_OUT,
                    role == Role.CALLER ? "no answer to the connection request in time"
                            : "no connection request in time"));
        }
    }

    // ---------------------------------------------------------------- commands

    /** Caller: sends the preamble and the connection request. */
    public void connect(Qos qos, Group group, byte[] callerData) {
        require(Command.CONNECT, WinsockError.WSAEISCONN);
        // Checked before anything is encoded: the encoder would fail after the preamble was written.
        if (callerData.length > WireFormat.MAX_USER_DATA) {
            throw new IllegalCommandException(WinsockError.WSAEMSGSIZE, "caller data of " + callerData.length
                    + " bytes exceeds the protocol's maximum of " + WireFormat.MAX_USER_DATA);
        }
        FrameLimits own = config.receiveLimits();
        FrameEncoder.preamble(WireFormat.VERSION, WireFormat.VERSION, out());
        preambleSent = true;
        FrameEncoder.encode(new Frame.Connect(own.maxMessageSize(), own.maxCalleeData(), own.maxDisconnectData(),
                qos, group, callerData), out());
        requestedQos = qos;
        earlyRoom = WireFormat.MAX_USER_DATA - callerData.length;
        state = EngineState.CONNECTING;
    }

    /** Callee: accepts the request, with callee data and the granted QoS (null if none was requested). */
    public void accept(byte[] calleeData, Qos grantedQos, Group group) {
        require(Command.DECIDE, WinsockError.WSAENOTCONN);
        int limit = Math.min(peerMaxCalleeData, WireFormat.MAX_USER_DATA);
        if (calleeData.length > limit) {
            throw new IllegalCommandException(WinsockError.WSAEMSGSIZE, "callee data of " + calleeData.length
                    + " bytes exceeds the caller's limit of " + limit);
        }
        if (grantedQos != null && (request.qos() == null || !grantedQos.doesNotExceed(request.qos()))) {
            throw new IllegalCommandException(WinsockError.WSAEINVAL,
                    "the granted QoS must not exceed the requested one (and needs a request)");
        }
        FrameLimits own = config.receiveLimits();
        FrameEncoder.encode(new Frame.Accept(own.maxMessageSize(), own.maxDisconnectData(), grantedQos, group,
                calleeData), out());
        decoder.endEarlyMessages();
        state = EngineState.OPEN;
    }

    /** Callee: refuses the request with a reason; the connection ends (REFUSED). */
    public void reject(ReasonCode reason, byte[] reasonData) {
        require(Command.DECIDE, WinsockError.WSAENOTCONN);
        requireSendable(reason);
        if (reasonData.length > WireFormat.MAX_REASON_DATA) {
            throw new IllegalCommandException(WinsockError.WSAEMSGSIZE, "reason data of " + reasonData.length
                    + " bytes exceeds " + WireFormat.MAX_REASON_DATA);
        }
        FrameEncoder.encode(new Frame.Reject(reason.code(), reasonData), out());
        finish(new CloseIndication(CloseIndication.Kind.REFUSED, reason, text(reasonData)));
    }

    /** Callee: defers the decision; sends PENDING unless one went out less than a second before {@code now}. */
    public void defer(long now) {
        require(Command.DECIDE, WinsockError.WSAENOTCONN);
        if (lastPendingSent == Long.MIN_VALUE || now - lastPendingSent >= PENDING_INTERVAL_NANOS) {
            FrameEncoder.encode(new Frame.Pending(), out());
            lastPendingSent = now;
        }
    }

    /**
     * Sends one message (fragmented as needed); the bytes between position and limit are consumed. A caller
     * may send while CONNECTING: an early message, which the callee may refuse with the whole request.
     */
    public void send(ByteBuffer message) {
        requireSendingOpen(Command.SEND);
        if (peerClosed) {
            throw new IllegalCommandException(WinsockError.WSAESHUTDOWN,
                    "the peer has closed and discards anything sent to it");
        }
        int size = message.remaining();
        if (state == EngineState.CONNECTING) {
            chargeEarly(size);
        } else if (size > peerMaxMessage) {
            throw new IllegalCommandException(WinsockError.WSAEMSGSIZE, "message of " + size
                    + " bytes exceeds the peer's limit of " + peerMaxMessage);
        }
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

    /** Ends the sending direction with disconnect data; {@code closing}: this side discards what comes next. */
    public void sendDisconnect(byte[] data, boolean closing) {
        // Allowed even when the peer has closed: its data is discarded, but it completes the graceful end.
        requireSendingOpen(Command.SEND_DISCONNECT);
        int limit = Math.min(peerMaxDisconnectData, WireFormat.MAX_USER_DATA);
        if (data.length > limit) {
            throw new IllegalCommandException(WinsockError.WSAEMSGSIZE, "disconnect data of " + data.length
                    + " bytes exceeds the peer's limit of " + limit);
        }
        FrameEncoder.encode(new Frame.Disconnect(closing, data), out());
        if (state == EngineState.RECEIVE_CLOSED) {
            finish(CloseIndication.GRACEFUL);
        } else {
            state = EngineState.SEND_CLOSED;
        }
    }

    /** Ends both directions at once with a reason; does nothing once the connection has ended. */
    public void abort(ReasonCode reason, String detail) {
        if (state == EngineState.CLOSED) {
            return;
        }
        requireSendable(reason);
        if (state != EngineState.IDLE) {
            abortFrame(reason, detail);
        }
        finish(new CloseIndication(CloseIndication.Kind.ABORTED, reason, detail));
    }

    // ---------------------------------------------------------------- outputs

    /** The next event, or null if there is none; a received message comes as {@link ProtocolEvent.MessageReceived}. */
    public ProtocolEvent pollEvent() {
        Object next = events.poll();
        return next instanceof byte[] message ? new ProtocolEvent.MessageReceived(message) : (ProtocolEvent) next;
    }

    /**
     * If the next event is a received message, removes it and returns the message itself; otherwise returns
     * null and leaves the next event (if any) queued for {@link #pollEvent}. Events keep their order: a driver
     * that calls this first, and {@link #pollEvent} whenever it returns null, sees every event in order, with
     * no event object allocated per message.
     */
    public byte[] pollMessage() {
        if (events.peek() instanceof byte[] message) {
            events.poll();
            return message;
        }
        return null;
    }

    /** Bytes encoded and not yet taken. */
    public int pendingOutput() {
        return output == null ? 0 : output.length();
    }

    /**
     * Hands the encoded bytes to the driver, to be written in order, or returns null if there are none (or
     * the previous batch was not released yet). The buffer stays valid until {@link #releaseOutput()}.
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
        if (!StateTable.allowsFrame(state, frame.type())) {
            throw new ProtocolViolationException(ReasonCode.PROTOCOL_VIOLATION,
                    frame.type() + " is not allowed in state " + state);
        }
        switch (frame) {
            case Frame.Preamble p -> preamble(p);
            case Frame.Connect c -> {
                request = c;
                peerMaxMessage = c.maxMessageSize();
                peerMaxCalleeData = c.maxCalleeData();
                peerMaxDisconnectData = c.maxDisconnectData();
                state = EngineState.REQUESTED;
                decoder.limitEarlyMessages(config.receiveLimits().maxCallerData() - c.callerData().length);
                events.add(new ProtocolEvent.ConnectRequested(c.qos(), c.group(), c.callerData()));
            }
            case Frame.Accept a -> {
                if (a.qos() != null && (requestedQos == null || !a.qos().doesNotExceed(requestedQos))) {
                    throw new ProtocolViolationException(ReasonCode.PROTOCOL_VIOLATION,
                            "the granted QoS exceeds the requested one (or none was requested)");
                }
                peerMaxMessage = a.maxMessageSize();
                peerMaxDisconnectData = a.maxDisconnectData();
                state = EngineState.OPEN;
                events.add(new ProtocolEvent.Accepted(a.qos(), a.group(), a.calleeData()));
            }
            case Frame.Reject r -> finish(new CloseIndication(CloseIndication.Kind.REFUSED, r.reason(),
                    text(r.reasonData())));
            case Frame.Pending p -> events.add(new ProtocolEvent.Deferred());
            case Frame.Data d -> data(d);
            case Frame.MessageSize m -> {
                // Nothing to do here: the decoder sizes the message it joins and checks the fragments.
            }
            case Frame.Disconnect d -> {
                peerClosed = d.closed();
                events.add(new ProtocolEvent.PeerDisconnected(d.data(), d.closed()));
                if (state == EngineState.SEND_CLOSED) {
                    finish(CloseIndication.GRACEFUL);
                } else {
                    state = EngineState.RECEIVE_CLOSED;
                    if (d.closed()) {
                        FrameEncoder.encode(new Frame.CloseSeen(), out());
                    }
                }
            }
            case Frame.CloseSeen c -> {
                // Only an answer to this side's DISCONNECT says anything; elsewhere it is ignored.
                if (state == EngineState.SEND_CLOSED) {
                    closeSeen = true;
                }
            }
            case Frame.Abort a -> finish(new CloseIndication(CloseIndication.Kind.RESET, a.reason(),
                    text(a.reasonData())));
        }
    }

    private void preamble(Frame.Preamble p) throws ProtocolViolationException {
        if (role == Role.CALLEE) {
            FrameEncoder.preamble(WireFormat.VERSION, WireFormat.VERSION, out());
            preambleSent = true;
        }
        if (p.minVersion() > WireFormat.VERSION || p.maxVersion() < WireFormat.VERSION) {
            throw new ProtocolViolationException(ReasonCode.VERSION_UNSUPPORTED, "the peer speaks versions "
                    + p.minVersion() + ".." + p.maxVersion() + ", this side speaks " + WireFormat.VERSION);
        }
    }

    private void data(Frame.Data d) {
        // The decoder delivers messages (deliverMessages): FRAGMENT went into the message being joined.
        if (d == FrameDecoder.MESSAGE) {
            events.add(decoder.takeMessage());
        }
    }

    private void violated(ProtocolViolationException e) {
        ReasonCode reason = e.reason();
        boolean version = reason == ReasonCode.VERSION_UNSUPPORTED;
        if (isRefusal(reason)) {
            byte[] detail = clip(e.getMessage().getBytes(StandardCharsets.UTF_8));
            FrameEncoder.encode(new Frame.Reject(reason.code(), detail), out());
            finish(new CloseIndication(CloseIndication.Kind.ABORTED, reason, e.getMessage()));
            return;
        }
        if (!reason.isLocalOnly() && !version && state != EngineState.IDLE) {
            abortFrame(reason, e.getMessage());
        }
        CloseIndication.Kind kind = version && role == Role.CALLER
                ? CloseIndication.Kind.REFUSED : CloseIndication.Kind.ABORTED;
        finish(new CloseIndication(kind, reason, e.getMessage()));
    }

    /**
     * True if a limit the caller could not know was exceeded: caller data at CONNECT, or early messages (the
     * caller-data budget, or this side's max message size) while the request is held. Such a request is
     * refused rather than called a violation; any other frame over its limit is a violation (ABORT).
     */
    private boolean isRefusal(ReasonCode reason) {
        int type = decoder.lastHeaderType();
        return switch (state) {
            case AWAITING_REQUEST -> reason == ReasonCode.DATA_TOO_LARGE && type == FrameType.CONNECT.code();
            case REQUESTED -> (reason == ReasonCode.DATA_TOO_LARGE || reason == ReasonCode.MESSAGE_TOO_LARGE)
                    && (type == FrameType.DATA.code() || type == FrameType.MESSAGE_SIZE.code());
            default -> false;
        };
    }

    private void chargeEarly(int size) {
        long cost = (long) size + WireFormat.EARLY_MESSAGE_OVERHEAD;
        if (cost > earlyRoom) {
            throw new IllegalCommandException(WinsockError.WSAEMSGSIZE, "early message of " + size
                    + " bytes exceeds what the protocol's maximum of " + WireFormat.MAX_USER_DATA
                    + " bytes for caller data and early messages leaves (" + earlyRoom + ")");
        }
        earlyRoom -= (int) cost;
    }

    private void abortFrame(ReasonCode reason, String detail) {
        if (!preambleSent) {
            // A callee that has not read the caller's preamble has not sent its own: without it the ABORT
            // would read as a foreign protocol. (A caller sends its preamble with CONNECT.)
            FrameEncoder.preamble(WireFormat.VERSION, WireFormat.VERSION, out());
            preambleSent = true;
        }
        FrameEncoder.encode(new Frame.Abort(reason.code(), clip(detail.getBytes(StandardCharsets.UTF_8))), out());
    }

    private void finish(CloseIndication indication) {
        state = EngineState.CLOSED;
        outcome = indication;
        decoder.dropJoined();
        events.add(new ProtocolEvent.Closed(indication));
    }

    private void require(Command command, WinsockError error) {
        if (!StateTable.allowsCommand(state, command)) {
            throw new IllegalCommandException(state == EngineState.CLOSED ? closedError() : error,
                    command + " is not allowed in state " + state);
        }
    }

    private void requireSendingOpen(Command command) {
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
            throw new IllegalArgumentException(reason + " is local only and cannot be sent");
        }
    }

    private static byte[] clip(byte[] data) {
        if (data.length <= WireFormat.MAX_REASON_DATA) {
            return data;
        }
        byte[] clipped = new byte[WireFormat.MAX_REASON_DATA];
        System.arraycopy(data, 0, clipped, 0, clipped.length);
        return clipped;
    }

    private static String text(byte[] reasonData) {
        return reasonData.length == 0 ? "" : new String(reasonData, StandardCharsets.UTF_8);
    }
}
