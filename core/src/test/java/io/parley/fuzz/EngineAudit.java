package io.parley.fuzz;

import io.parley.CloseIndication;
import io.parley.Group;
import io.parley.GroupKind;
import io.parley.Qos;
import io.parley.ReasonCode;
import io.parley.WinsockError;
import io.parley.protocol.EngineConfig;
import io.parley.protocol.EngineState;
import io.parley.protocol.Frame;
import io.parley.protocol.FrameDecoder;
import io.parley.protocol.FrameEncoder;
import io.parley.protocol.FrameLimits;
import io.parley.protocol.FrameType;
import io.parley.protocol.IllegalCommandException;
import io.parley.protocol.ProtocolEngine;
import io.parley.protocol.ProtocolEvent;
import io.parley.protocol.ProtocolViolationException;
import io.parley.protocol.WireFormat;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Drives one engine through a fuzzer's script and checks after every step what the engine promises
 * (ProtocolEngine's class comment, docs/protocol.md sections 4, 6 and 7):
 * <ol>
 *   <li>nothing at all leaves the inputs (receive, end of stream, reset, timeout): a hostile peer's bytes end
 *       in an ABORT and a close indication, never in an exception;</li>
 *   <li>a command leaves only as {@link IllegalCommandException}, and then changes nothing: same state, no
 *       byte encoded, no event; a command naming a local-only reason is refused with WSAEINVAL (7.3, 8);</li>
 *   <li>the output is always a valid Parley stream in a legal order: one preamble first; a caller's CONNECT
 *       right after it and once, declaring exactly the early messages it was given (4.6); no ACCEPT, REJECT or
 *       PENDING from a caller, no CONNECT from a callee; no DATA or MESSAGE_SIZE from a callee before it
 *       accepted, no DISCONNECT before the connection opened; one DISCONNECT at most and after it only a
 *       DISCONNECT_ACK or an ABORT; exactly one DISCONNECT_ACK once the peer's DISCONNECT arrived, and none
 *       otherwise (4.8); nothing after an ABORT or a REJECT, and no local-only reason in them; a REJECT before
 *       the request arrived only for a CONNECT whose caller data (with its early length) is over the limit;</li>
 *   <li>a deferred request's PENDING repeats every second: the deadline is the last PENDING plus a second, a
 *       defer within it sends nothing, a timeout at it sends one PENDING (4.4, 7.5);</li>
 *   <li>events come in a legal order, each within the limits: at most one request, one acceptance and one
 *       peer disconnect; no message after the peer's disconnect; a request only with its caller data and
 *       early length within the caller-data limit, and a callee's early messages within the early length
 *       (each costing its size plus 4); Closed exactly once, last, and exactly when the state is CLOSED;</li>
 *   <li>the end is as the tables say: graceful only on receiving, once both DISCONNECTs crossed and the
 *       peer's DISCONNECT_ACK arrived (what arrived is decoded independently of the engine); an end of stream
 *       or a reset is never graceful, and is unconfirmed exactly in CLOSING; an abort is unconfirmed exactly in
 *       CLOSING; a handshake deadline is a timeout; unconfirmed comes from nothing else (7.3, 7.4);</li>
 *   <li>memory stays within the limits: the decoder's frame buffer within its type's limit, a partial message
 *       never holds more than the largest message allowed, user data joined from CONTINUATIONs never more
 *       than its limit and at most 1 MiB before more than that has arrived (4.5), and a closed engine holds
 *       none of either.</li>
 * </ol>
 */
final class EngineAudit {
    private static final long MS = 1_000_000L;
    /** Every engine's handshake deadline: 10 s after the clock's start, as in docs/vectors/engine.tsv. */
    static final long DEADLINE = 10_000 * MS;
    /** What the decoder allocates for declared user data before more than this has arrived (docs/protocol.md 4.5). */
    private static final int UPFRONT = 1 << 20;

    private final boolean callee;
    private final FrameLimits limits;
    private final ProtocolEngine engine;
    private final FrameDecoder outputDecoder = new FrameDecoder(Frames.WIDE);
    /** Decodes what the engine is fed, on its own, to know which frames arrived. */
    private final FrameDecoder inputDecoder;
    private boolean inputFailed;
    private final ArrayDeque<FrameType> lastSent = new ArrayDeque<>();
    private long framesSent;
    private boolean acceptSent;
    private boolean disconnectSent;
    private boolean ackSent;
    private boolean terminalSent;
    private final long largestFrameBuffer;
    private final long largestUserData;
    private ByteBuffer held;
    private long now;
    private String step = "start";
    // What happened so far, from the events, the commands, the input and the output.
    private boolean requested;
    private boolean acceptedEvent;
    private boolean acceptedLocally;
    private boolean peerDisconnected;
    private boolean disconnectCommanded;
    /** What arrived, decoded independently: a DISCONNECT, a DISCONNECT_ACK. */
    private boolean disconnectArrived;
    private boolean ackArrived;
    /** Caller: the early length its CONNECT must declare; -1 before a connect went through. */
    private long connectEarly = -1;
    /** Callee: the early length the request declared, and what its early messages cost so far. */
    private long earlyDeclared;
    private long earlyCharged;
    /** Callee: a defer went through while REQUESTED, and when the last PENDING was encoded. */
    private boolean deferred;
    private long pendingAt;
    private ReasonCode abortReason;
    private CloseIndication closed;

    EngineAudit(boolean callee, EngineConfig config) {
        this.callee = callee;
        this.limits = config.receiveLimits();
        this.inputDecoder = new FrameDecoder(limits);
        this.engine = callee ? ProtocolEngine.callee(config, DEADLINE) : ProtocolEngine.caller(config, DEADLINE);
        this.largestFrameBuffer = largestFrameBuffer(limits);
        this.largestUserData = Math.max(Math.max(limits.maxCallerData(), limits.maxCalleeData()),
                Math.max(limits.maxDisconnectData(), limits.maxReasonData()));
    }

    /**
     * The largest payload buffer the decoder may hold for one frame under these limits: a frame's own part of
     * its user data is judged at its header (docs/protocol.md 4, 6), a DATA frame by the message limit.
     */
    static long largestFrameBuffer(FrameLimits limits) {
        long connect = WireFormat.CONNECT_FIXED_SIZE + 2L * WireFormat.FLOWSPEC_SIZE + WireFormat.CONNECT_GROUP_SIZE
                + limits.maxCallerData();
        long accept = WireFormat.ACCEPT_FIXED_SIZE + 2L * WireFormat.FLOWSPEC_SIZE + WireFormat.ACCEPT_GROUP_SIZE
                + limits.maxCalleeData();
        long reject = WireFormat.REJECT_FIXED_SIZE + (long) limits.maxReasonData();
        long disconnect = WireFormat.DISCONNECT_FIXED_SIZE + (long) limits.maxDisconnectData();
        long largest = Math.max(Math.max(connect, accept), Math.max(reject, disconnect));
        largest = Math.max(largest, Math.max(2 + WireFormat.MAX_ABORT_REASON_DATA, limits.maxMessageSize()));
        return Math.min(WireFormat.MAX_PAYLOAD, largest);
    }

    /** Runs the next operation of the script and audits the engine afterwards. */
    void step(EngineScript.Reader script) {
        EngineScript.Op op = script.op();
        step = op.name();
        EngineState stateBefore = engine.state();
        abortReason = null;
        switch (op) {
            case IN_BYTES -> feed(script.data(), script.u8());
            case IN_FRAME -> feed(frame(script), script.u8());
            case EOS -> engine.receiveEndOfStream();
            case RESET -> engine.receiveReset("fuzz");
            case TIME -> time(script.u16());
            case CONNECT -> {
                int flags = script.u8();
                Optional<Qos> qos = (flags & 1) != 0 ? Optional.of(script.qos()) : Optional.empty();
                Optional<Group> group = (flags & 2) != 0 ? Optional.of(script.group()) : Optional.empty();
                byte[] data = script.data();
                List<byte[]> early = (flags & 4) != 0 ? script.earlyMessages() : List.of();
                if (command(() -> engine.connect(qos, group, data, early), null)) {
                    connectEarly = early.stream().mapToLong(m -> m.length + WireFormat.EARLY_MESSAGE_OVERHEAD).sum();
                }
            }
            case ACCEPT -> {
                int flags = script.u8();
                Optional<Qos> qos = (flags & 2) != 0 ? Optional.of(script.qos())
                        : (flags & 1) != 0 ? engine.request().flatMap(Frame.Connect::qos) : Optional.empty();
                Optional<Group> group = (flags & 4) != 0
                        ? Optional.of(new Group(GroupKind.JOIN, script.u32(), script.u16())) : Optional.empty();
                byte[] data = script.data();
                if (command(() -> engine.accept(data, qos, group), null)) {
                    acceptedLocally = true;
                    deferred = false;
                }
            }
            case REJECT -> {
                ReasonCode reason = script.reason();
                byte[] data = script.data();
                WinsockError refusal = null;
                if (stateBefore == EngineState.REQUESTED) {
                    // 7.3: a local-only reason, then reason data over the caller's advertised max reason data.
                    refusal = reason.isLocalOnly() ? WinsockError.WSAEINVAL
                            : data.length > engine.peerMaxReasonData() ? WinsockError.WSAEMSGSIZE : null;
                }
                command(() -> engine.reject(reason, data), refusal);
            }
            case DEFER -> defer(script.u16());
            case SEND -> {
                ByteBuffer message = ByteBuffer.wrap(script.data());
                command(() -> engine.send(message), null);
            }
            case DISCONNECT -> {
                boolean closing = (script.u8() & 1) != 0;
                byte[] data = script.data();
                if (command(() -> engine.sendDisconnect(data, closing), null)) {
                    disconnectCommanded = true;
                }
            }
            case ABORT -> {
                ReasonCode reason = script.reason();
                if (stateBefore == EngineState.CLOSED) {
                    // A no-op once closed; docs/protocol.md leaves open whether a local-only reason is refused.
                    command(() -> engine.abort(reason, "fuzz"), null);
                } else if (command(() -> engine.abort(reason, "fuzz"),
                        reason.isLocalOnly() ? WinsockError.WSAEINVAL : null)) {
                    abortReason = reason;
                }
            }
            case TAKE -> {
                if (held == null) {
                    held = engine.takeOutput();
                    if (held != null) {
                        audit(held.duplicate());
                    }
                }
            }
            case RELEASE -> {
                if (held != null) {
                    engine.releaseOutput();
                    held = null;
                }
            }
        }
        events(op, stateBefore);
        checkState();
        checkMemory();
    }

    /** Takes the rest of the output and checks what only the whole run shows. */
    void finish() {
        step = "finish";
        if (held != null) {
            engine.releaseOutput();
            held = null;
        }
        ByteBuffer rest = engine.takeOutput();
        if (rest != null) {
            audit(rest);
            engine.releaseOutput();
        }
        if (closed != null && closed.isGraceful()) {
            assertThat(disconnectSent).as("a graceful end sent a DISCONNECT").isTrue();
            assertThat(ackSent).as("a graceful end acknowledged the peer's DISCONNECT").isTrue();
        }
        assertThat(ackSent).as("a DISCONNECT_ACK exactly when the peer's DISCONNECT arrived (4.8)")
                .isEqualTo(peerDisconnected);
    }

    // ------------------------------------------------------------------ inputs

    private void feed(byte[] bytes, int piece) {
        int size = piece == 0 ? Math.max(1, bytes.length) : piece;
        for (int at = 0; at < bytes.length; at += size) {
            ByteBuffer chunk = ByteBuffer.wrap(bytes, at, Math.min(size, bytes.length - at));
            if (engine.state() != EngineState.CLOSED) {
                observe(chunk.duplicate());
            }
            engine.receive(chunk);
            assertThat(chunk.hasRemaining()).as("receive consumes all it is given").isFalse();
        }
    }

    /**
     * Decodes what the engine is fed, with the engine's limits, to know what arrived. It may read a little
     * past a frame the engine ended on (the engine ignores the rest of that chunk): what it saw arrived, at the
     * latest with the chunk that ended the engine.
     */
    private void observe(ByteBuffer chunk) {
        if (inputFailed) {
            return;
        }
        try {
            Frame frame;
            while ((frame = inputDecoder.next(chunk)) != null) {
                if (frame instanceof Frame.Disconnect) {
                    disconnectArrived = true;
                } else if (frame instanceof Frame.DisconnectAck) {
                    ackArrived = true;
                }
            }
        } catch (ProtocolViolationException e) {
            inputFailed = true; // the engine ends with it; nothing after arrives
        }
    }

    private void time(int millis) {
        now += millis * MS;
        EngineState before = engine.state();
        long deadline = engine.deadline();
        int output = engine.pendingOutput();
        engine.handleTimeout(now);
        if (before == EngineState.REQUESTED) {
            // 4.4, 7.5: the only deadline while REQUESTED is the next PENDING of a deferred request.
            assertThat(engine.state()).as("a timeout leaves a request REQUESTED").isEqualTo(EngineState.REQUESTED);
            boolean due = deferred && now - pendingAt >= ProtocolEngine.PENDING_INTERVAL_NANOS;
            assertThat(due).as("PENDING due exactly at the deadline").isEqualTo(now - deadline >= 0);
            assertThat(engine.pendingOutput() - output).as("what a timeout sends while REQUESTED")
                    .isEqualTo(due ? WireFormat.HEADER_SIZE : 0);
            if (due) {
                pendingAt = now;
            }
        }
    }

    private void defer(int millis) {
        now += millis * MS;
        boolean requestedState = engine.state() == EngineState.REQUESTED;
        int output = engine.pendingOutput();
        if (command(() -> engine.defer(now), null)) {
            assertThat(requestedState).isTrue();
            boolean due = !deferred || now - pendingAt >= ProtocolEngine.PENDING_INTERVAL_NANOS;
            assertThat(engine.pendingOutput() - output).as("a defer sends PENDING unless one went out within the "
                    + "second (4.4)").isEqualTo(due ? WireFormat.HEADER_SIZE : 0);
            if (due) {
                pendingAt = now;
            }
            deferred = true;
        }
    }

    private static byte[] frame(EngineScript.Reader s) {
        return switch (s.frameKind()) {
            case CONNECT -> {
                long maxMessage = s.u32();
                int maxCallee = userDataLimit(s.u32());
                int maxDisconnect = userDataLimit(s.u32());
                int maxReason = userDataLimit(s.u32());
                long early = s.u32();
                int flags = s.u8();
                Qos qos = (flags & 1) != 0 ? s.qos() : null;
                Group group = (flags & 2) != 0 ? s.group() : null;
                yield FrameEncoder.toBytes(new Frame.Connect(maxMessage, maxCallee, maxDisconnect, maxReason, early,
                        Optional.ofNullable(qos), Optional.ofNullable(group), s.data()));
            }
            case ACCEPT -> {
                long maxMessage = s.u32();
                int maxDisconnect = userDataLimit(s.u32());
                int flags = s.u8();
                Qos qos = (flags & 1) != 0 ? s.qos() : null;
                Group group = (flags & 2) != 0 ? new Group(GroupKind.JOIN, s.u32(), s.u16()) : null;
                yield FrameEncoder.toBytes(new Frame.Accept(maxMessage, maxDisconnect, Optional.ofNullable(qos),
                        Optional.ofNullable(group), s.data()));
            }
            case REJECT -> FrameEncoder.toBytes(new Frame.Reject(s.u16(), s.data()));
            case PENDING -> FrameEncoder.toBytes(new Frame.Pending());
            case DATA -> FrameEncoder.toBytes(new Frame.Data((s.u8() & 1) != 0, s.data()));
            case DISCONNECT -> FrameEncoder.toBytes(new Frame.Disconnect((s.u8() & 1) != 0, s.data()));
            case ABORT -> FrameEncoder.toBytes(new Frame.Abort(s.u16(), s.data(WireFormat.MAX_ABORT_REASON_DATA)));
            case IGNORABLE -> {
                int type = 0x80 | s.u8();
                byte[] payload = s.data();
                yield Vectors.concat(header(type, 0, payload.length), payload);
            }
            case RAW -> {
                byte[] head = header(s.u8(), s.u8(), s.u16());
                yield Vectors.concat(head, s.data());
            }
            case DISCONNECT_ACK -> FrameEncoder.toBytes(new Frame.DisconnectAck());
            case CONTINUATION -> {
                byte[] part = s.data();
                yield Vectors.concat(header(FrameType.CONTINUATION.code(), 0, part.length), part);
            }
            case MESSAGE_SIZE -> FrameEncoder.toBytes(new Frame.MessageSize(s.u32()));
        };
    }

    /** An advertised user-data limit as the encoder takes it: at most the protocol's maximum. */
    private static int userDataLimit(long value) {
        return (int) Math.min(value, WireFormat.MAX_USER_DATA);
    }

    private static byte[] header(int type, int flags, int length) {
        return new byte[] {(byte) type, (byte) flags, (byte) (length >>> 8), (byte) length};
    }

    /**
     * Runs a command; true if it was carried out, false if refused (after checking it changed nothing).
     *
     * @param mustRefuse the error the command must be refused with, or null if it may go either way
     */
    private boolean command(Runnable command, WinsockError mustRefuse) {
        EngineState state = engine.state();
        int output = engine.pendingOutput();
        Optional<CloseIndication> outcome = engine.outcome();
        try {
            command.run();
        } catch (IllegalCommandException e) {
            assertThat(engine.state()).as("state after a refused %s (%s)", step, e.getMessage()).isEqualTo(state);
            assertThat(engine.pendingOutput()).as("output after a refused %s", step).isEqualTo(output);
            assertThat(engine.outcome()).as("outcome after a refused %s", step).isEqualTo(outcome);
            assertThat(engine.pollEvent()).as("events after a refused %s", step).isNull();
            assertThat(e.winsockError()).as("the refusal's Winsock error").isNotNull();
            if (mustRefuse != null) {
                assertThat(e.winsockError()).as("%s refused (%s)", step, e.getMessage()).isEqualTo(mustRefuse);
            }
            return false;
        }
        assertThat(mustRefuse).as("%s in %s was carried out, but must be refused", step, state).isNull();
        if (state == EngineState.CLOSED) {
            assertThat(engine.pendingOutput()).as("a command in CLOSED sends nothing").isEqualTo(output);
        }
        return true;
    }

    // ------------------------------------------------------------------ output

    private void audit(ByteBuffer output) {
        try {
            Frame frame;
            while ((frame = outputDecoder.next(output)) != null) {
                audit(frame);
                framesSent++;
                if (lastSent.size() == 8) {
                    lastSent.removeFirst();
                }
                lastSent.addLast(frame.type());
            }
        } catch (ProtocolViolationException e) {
            fail("after %s the engine sent an invalid stream: %s (last frames sent: %s)", step, e.getMessage(),
                    lastSent);
        }
    }

    private void audit(Frame frame) {
        // Flags rather than scans of what was sent: the audit must stay linear in the output (an early version
        // scanned the whole list for every frame, and a long send made one input take over 30 s).
        if (framesSent == 0) {
            check(frame.equals(new Frame.Preamble(WireFormat.VERSION, WireFormat.VERSION)), frame,
                    "the stream starts with the preamble");
            return;
        }
        check(!(frame instanceof Frame.Preamble), frame, "one preamble");
        check(!terminalSent, frame, "nothing follows an ABORT or a REJECT");
        check(!disconnectSent || frame instanceof Frame.Abort || frame instanceof Frame.DisconnectAck, frame,
                "only a DISCONNECT_ACK or an ABORT may follow the DISCONNECT");
        switch (frame) {
            case Frame.Connect c -> {
                check(!callee, frame, "a callee never sends CONNECT");
                check(framesSent == 1, frame, "CONNECT comes right after the preamble");
                check(c.earlyLength() == connectEarly, frame, "CONNECT declares the early messages it was given");
            }
            case Frame.Accept a -> {
                decision(frame);
                acceptSent = true;
            }
            case Frame.Reject r -> {
                decision(frame);
                // Before the request, a REJECT only refuses caller data over the limit, at the CONNECT.
                check(requested || (r.reason() == ReasonCode.DATA_TOO_LARGE
                        && Internals.lastHeaderType(engine) == FrameType.CONNECT.code()), frame,
                        "a REJECT without a request only refuses a CONNECT's caller data over the limit");
                check(sendable(r.reasonCode()), frame, "local-only reasons are never sent");
                terminalSent = true;
            }
            case Frame.Pending p -> {
                check(callee, frame, "only a callee defers");
                check(!acceptSent, frame, "PENDING before the decision");
            }
            case Frame.Data d -> check(!callee || acceptSent, frame, "DATA from a callee only once it accepted");
            case Frame.MessageSize m -> check(!callee || acceptSent, frame,
                    "MESSAGE_SIZE from a callee only once it accepted");
            case Frame.Disconnect d -> {
                check(isOpen(), frame, "DISCONNECT only once open");
                disconnectSent = true;
            }
            case Frame.DisconnectAck a -> {
                check(peerDisconnected, frame, "DISCONNECT_ACK only for a DISCONNECT that arrived");
                check(!ackSent, frame, "one DISCONNECT_ACK");
                ackSent = true;
            }
            case Frame.Abort a -> {
                check(sendable(a.reasonCode()), frame, "local-only reasons are never sent");
                terminalSent = true;
            }
            case Frame.Preamble p -> fail("unreachable");
            case Frame.QosRequest q -> fail("a version 1 engine sent a version 2 frame: %s", frame);
            case Frame.QosAnswer q -> fail("a version 1 engine sent a version 2 frame: %s", frame);
        }
    }

    private static boolean sendable(int code) {
        return Arrays.stream(ReasonCode.values()).noneMatch(r -> r.isLocalOnly() && r.code() == code);
    }

    private void decision(Frame frame) {
        check(callee, frame, "only a callee decides");
        check(!acceptSent, frame, "one decision");
    }

    private boolean isOpen() {
        return callee ? acceptSent : acceptedEvent;
    }

    /** Fails with a description built only when the check fails. */
    private void check(boolean holds, Frame frame, String rule) {
        if (!holds) {
            fail("after %s, sending %s as frame %d: %s (last frames sent: %s)", step, Frames.describe(frame),
                    framesSent, rule, lastSent);
        }
    }

    // ------------------------------------------------------------------ events, state, memory

    private void events(EngineScript.Op op, EngineState stateBefore) {
        ProtocolEvent event;
        while ((event = engine.pollEvent()) != null) {
            String what = "after " + step + " in " + stateBefore + ", event " + event;
            assertThat(closed).as(what + ": nothing after Closed").isNull();
            switch (event) {
                case ProtocolEvent.ConnectRequested r -> {
                    assertThat(callee && !requested).as(what + ": one request, to a callee").isTrue();
                    earlyDeclared = engine.request().orElseThrow().earlyLength();
                    assertThat(r.callerData().length + earlyDeclared)
                            .as(what + ": caller data with the early length within the caller-data limit (4.6)")
                            .isLessThanOrEqualTo(limits.maxCallerData());
                    requested = true;
                    earlyCharged = 0;
                }
                case ProtocolEvent.Accepted a -> {
                    assertThat(!callee && !acceptedEvent).as(what + ": one acceptance, to a caller").isTrue();
                    assertThat(a.calleeData().length).as(what).isLessThanOrEqualTo(limits.maxCalleeData());
                    acceptedEvent = true;
                }
                case ProtocolEvent.Deferred d ->
                        assertThat(!callee && !acceptedEvent).as(what + ": deferral before acceptance").isTrue();
                case ProtocolEvent.MessageReceived m -> {
                    assertThat(callee ? requested : acceptedEvent).as(what + ": messages once open, or early after "
                            + "the request").isTrue();
                    if (callee && !acceptedLocally) {
                        earlyCharged += m.message().length + WireFormat.EARLY_MESSAGE_OVERHEAD;
                        assertThat(earlyCharged).as(what + ": early messages within the declared early length")
                                .isLessThanOrEqualTo(earlyDeclared);
                    }
                    assertThat(peerDisconnected).as(what + ": no message after the peer's disconnect").isFalse();
                    assertThat((long) m.message().length).as(what).isLessThanOrEqualTo(limits.maxMessageSize());
                }
                case ProtocolEvent.PeerDisconnected d -> {
                    assertThat(callee ? acceptedLocally : acceptedEvent).as(what + ": disconnect once open").isTrue();
                    assertThat(peerDisconnected).as(what + ": one peer disconnect").isFalse();
                    assertThat(disconnectArrived).as(what + ": a DISCONNECT arrived").isTrue();
                    assertThat(d.data().length).as(what).isLessThanOrEqualTo(limits.maxDisconnectData());
                    peerDisconnected = true;
                }
                case ProtocolEvent.Closed c -> {
                    closed = c.indication();
                    checkEnding(op, stateBefore, c.indication(), what);
                }
                case ProtocolEvent.QosRequested q -> fail(what + ": a version 1 engine reports no QoS request");
                case ProtocolEvent.QosAnswered q -> fail(what + ": a version 1 engine reports no QoS answer");
            }
        }
    }

    private void checkEnding(EngineScript.Op op, EngineState before, CloseIndication ending, String what) {
        assertThat(engine.outcome()).as(what + ": the outcome is the Closed event's").contains(ending);
        if (ending.isGraceful()) {
            assertThat(peerDisconnected && disconnectCommanded && ackArrived)
                    .as(what + ": graceful only once both DISCONNECTs crossed and the peer acknowledged this side's")
                    .isTrue();
            assertThat(op).as(what + ": graceful only on receiving the last of them")
                    .isIn(EngineScript.Op.IN_BYTES, EngineScript.Op.IN_FRAME);
            assertThat(before).as(what + ": graceful only after this side's DISCONNECT")
                    .isIn(EngineState.SEND_CLOSED, EngineState.SEND_CONFIRMED, EngineState.CLOSING);
        }
        boolean closing = before == EngineState.CLOSING;
        switch (op) {
            case EOS -> assertThat(ending).as(what + ": an end of stream is an abort, unconfirmed in CLOSING")
                    .isEqualTo(new CloseIndication(closing ? CloseIndication.Kind.UNCONFIRMED
                            : CloseIndication.Kind.ABORTED, ReasonCode.TRANSPORT_CLOSED, ending.detail()));
            case RESET -> assertThat(ending).as(what + ": a reset is a reset, unconfirmed in CLOSING")
                    .isEqualTo(new CloseIndication(closing ? CloseIndication.Kind.UNCONFIRMED
                            : CloseIndication.Kind.RESET, ReasonCode.TRANSPORT_RESET, ending.detail()));
            case TIME -> assertThat(ending).as(what + ": a deadline is a timeout").isEqualTo(
                    new CloseIndication(CloseIndication.Kind.ABORTED, ReasonCode.TIMED_OUT, ending.detail()));
            case ABORT -> assertThat(ending).as(what + ": an abort, unconfirmed in CLOSING").isEqualTo(
                    new CloseIndication(closing ? CloseIndication.Kind.UNCONFIRMED : CloseIndication.Kind.ABORTED,
                            abortReason, ending.detail()));
            default -> {
            }
        }
        if (ending.kind() == CloseIndication.Kind.UNCONFIRMED) {
            assertThat(closing).as(what + ": unconfirmed only in CLOSING").isTrue();
            assertThat(op).as(what + ": unconfirmed only by the transport's end or an abort")
                    .isIn(EngineScript.Op.EOS, EngineScript.Op.RESET, EngineScript.Op.ABORT);
            assertThat(ackArrived).as(what + ": unconfirmed, yet the acknowledgement arrived").isFalse();
        }
        if (ending.kind() == CloseIndication.Kind.REFUSED) {
            assertThat(acceptedEvent || acceptedLocally).as(what + ": refused only before opening").isFalse();
        }
    }

    private void checkState() {
        EngineState state = engine.state();
        boolean isClosed = state == EngineState.CLOSED;
        assertThat(isClosed).as("after %s: CLOSED exactly when a Closed event came", step).isEqualTo(closed != null);
        assertThat(engine.outcome().isPresent()).as("after %s: an outcome exactly when CLOSED", step).isEqualTo(isClosed);
        if (state == EngineState.REQUESTED) {
            assertThat(engine.deadline()).as("after %s: the deadline while REQUESTED is the next PENDING's", step)
                    .isEqualTo(deferred ? pendingAt + ProtocolEngine.PENDING_INTERVAL_NANOS : Long.MAX_VALUE);
        } else if (state != EngineState.IDLE && state != EngineState.CONNECTING
                && state != EngineState.AWAITING_REQUEST) {
            assertThat(engine.deadline()).as("after %s: no deadline in %s", step, state).isEqualTo(Long.MAX_VALUE);
        }
        assertThat(engine.isDisconnectAcknowledged()).as("after %s: acknowledged in %s", step, state)
                .isEqualTo(state == EngineState.SEND_CONFIRMED || closed != null && closed.isGraceful());
        if (state == EngineState.SEND_CONFIRMED || state == EngineState.CLOSING) {
            assertThat(disconnectCommanded).as("after %s: %s without this side's DISCONNECT", step, state).isTrue();
        }
        if (state == EngineState.SEND_CONFIRMED) {
            assertThat(ackArrived).as("after %s: SEND_CONFIRMED without an acknowledgement", step).isTrue();
        }
        if (state == EngineState.RECEIVE_CLOSED || state == EngineState.CLOSING) {
            assertThat(peerDisconnected).as("after %s: %s without the peer's DISCONNECT", step, state).isTrue();
        }
    }

    private void checkMemory() {
        assertThat((long) Internals.decoderBuffer(engine)).as("after %s: decoder buffer", step)
                .isLessThanOrEqualTo(largestFrameBuffer);
        // 16: the smallest buffer, whatever the limit; at most one of the two partial-message buffers is used.
        assertThat((long) Internals.partialMessage(engine)).as("after %s: partial message buffers", step)
                .isLessThanOrEqualTo(2 * 16 + limits.maxMessageSize());
        int userData = Internals.userData(engine);
        assertThat((long) userData).as("after %s: user data joined from CONTINUATIONs", step)
                .isLessThanOrEqualTo(largestUserData);
        if (Internals.userDataBytes(engine) <= UPFRONT) {
            assertThat(userData).as("after %s: user data allocated before 1 MiB of it arrived", step)
                    .isLessThanOrEqualTo(UPFRONT);
        }
        if (engine.state() == EngineState.CLOSED) {
            assertThat(Internals.partialMessageBytes(engine)).as("after %s: a closed engine holds no partial message",
                    step).isZero();
            assertThat(userData).as("after %s: a closed engine holds no user data", step).isZero();
        }
    }
}
