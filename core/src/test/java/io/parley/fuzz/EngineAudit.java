package io.parley.fuzz;

import io.parley.CloseIndication;
import io.parley.Group;
import io.parley.GroupKind;
import io.parley.Qos;
import io.parley.ReasonCode;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Drives one engine through a fuzzer's script and checks after every step what the engine promises
 * (ProtocolEngine's class comment, docs/protocol.md sections 4, 6 and 7):
 * <ol>
 *   <li>nothing at all leaves the inputs (receive, end of stream, reset, timeout): a hostile peer's bytes end
 *       in an ABORT and a close indication, never in an exception;</li>
 *   <li>a command leaves only as {@link IllegalCommandException}, and then changes nothing: same state, no
 *       byte encoded, no event;</li>
 *   <li>the output is always a valid Parley stream in a legal order: one preamble first; a caller's CONNECT
 *       right after it and once; no ACCEPT, REJECT or PENDING from a caller, no CONNECT from a callee; no DATA
 *       or MESSAGE_SIZE from a callee before it accepted (a caller's early messages follow its CONNECT), no
 *       DISCONNECT before the connection opened; one DISCONNECT at most and after it only an
 *       ABORT; one CLOSE_SEEN at most, only after a DISCONNECT with CLOSED arrived; nothing after an ABORT or
 *       a REJECT; a REJECT before the request arrived only for a CONNECT whose caller data is over the limit;</li>
 *   <li>events come in a legal order, each within the limits: at most one request, one acceptance and one
 *       peer disconnect; no message after the peer's disconnect; a callee's early messages only after the
 *       request, and with the caller data within its caller-data limit (each costing its size plus 4); Closed exactly once, last, and exactly when
 *       the state is CLOSED; a graceful Closed only after the peer's DISCONNECT arrived and this side's was
 *       encoded; an end of stream, a reset or a timeout never ends gracefully;</li>
 *   <li>memory stays within the limits: the decoder's frame buffer within its type's limit, a partial message
 *       never holds more than the largest message allowed, and a closed engine holds none.</li>
 * </ol>
 */
final class EngineAudit {
    private static final long MS = 1_000_000L;
    /** Every engine's handshake deadline: 10 s after the clock's start, as in docs/vectors/engine.tsv. */
    static final long DEADLINE = 10_000 * MS;

    private final boolean callee;
    private final FrameLimits limits;
    private final ProtocolEngine engine;
    private final FrameDecoder outputDecoder = new FrameDecoder(Frames.WIDE);
    private final ArrayDeque<FrameType> lastSent = new ArrayDeque<>();
    private long framesSent;
    private boolean acceptSent;
    private boolean disconnectSent;
    private boolean terminalSent;
    private boolean closeSeenSent;
    private final long largestFrameBuffer;
    private ByteBuffer held;
    private long now;
    private String step = "start";
    // What happened so far, from the events and the output.
    private boolean requested;
    private boolean acceptedEvent;
    private boolean acceptedLocally;
    private boolean peerDisconnected;
    private boolean peerClosed;
    private boolean disconnectCommanded;
    /** A callee's caller data plus its early messages, each with its overhead, as charged to its budget. */
    private long earlyCharged;
    private CloseIndication closed;

    EngineAudit(boolean callee, EngineConfig config) {
        this.callee = callee;
        this.limits = config.receiveLimits();
        this.engine = callee ? ProtocolEngine.callee(config, DEADLINE) : ProtocolEngine.caller(config, DEADLINE);
        long largestFixed = Math.max(Math.max(limits.maxCallerData(), limits.maxCalleeData())
                        + WireFormat.CONNECT_FIXED_SIZE + 2 * WireFormat.FLOWSPEC_SIZE + WireFormat.CONNECT_GROUP_SIZE,
                Math.max(limits.maxDisconnectData(), 2 + WireFormat.MAX_REASON_DATA));
        this.largestFrameBuffer = Math.max(largestFixed, Math.min(WireFormat.MAX_PAYLOAD, limits.maxMessageSize()));
    }

    /** Runs the next operation of the script and audits the engine afterwards. */
    void step(EngineScript.Reader script) {
        EngineScript.Op op = script.op();
        step = op.name();
        EngineState stateBefore = engine.state();
        switch (op) {
            case IN_BYTES -> feed(script.data(), script.u8());
            case IN_FRAME -> feed(frame(script), script.u8());
            case EOS -> engine.receiveEndOfStream();
            case RESET -> engine.receiveReset("fuzz");
            case TIME -> {
                now += script.u16() * MS;
                engine.handleTimeout(now);
            }
            case CONNECT -> {
                int flags = script.u8();
                Qos qos = (flags & 1) != 0 ? script.qos() : null;
                Group group = (flags & 2) != 0 ? script.group() : null;
                byte[] data = script.data();
                command(() -> engine.connect(qos, group, data));
            }
            case ACCEPT -> {
                int flags = script.u8();
                Qos qos = (flags & 2) != 0 ? script.qos()
                        : (flags & 1) != 0 && engine.request() != null ? engine.request().qos() : null;
                Group group = (flags & 4) != 0 ? new Group(GroupKind.JOIN, script.u32(), script.u16()) : null;
                byte[] data = script.data();
                if (command(() -> engine.accept(data, qos, group))) {
                    acceptedLocally = true;
                }
            }
            case REJECT -> {
                ReasonCode reason = script.reason();
                byte[] data = script.data(WireFormat.MAX_REASON_DATA + 76);
                command(() -> engine.reject(reason, data));
            }
            case DEFER -> {
                now += script.u16() * MS;
                command(() -> engine.defer(now));
            }
            case SEND -> {
                ByteBuffer message = ByteBuffer.wrap(script.data());
                command(() -> engine.send(message));
            }
            case DISCONNECT -> {
                boolean closing = (script.u8() & 1) != 0;
                byte[] data = script.data();
                if (command(() -> engine.sendDisconnect(data, closing))) {
                    disconnectCommanded = true;
                }
            }
            case ABORT -> {
                ReasonCode reason = script.reason();
                command(() -> engine.abort(reason, "fuzz"));
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
        }
    }

    // ------------------------------------------------------------------ inputs

    private void feed(byte[] bytes, int piece) {
        int size = piece == 0 ? Math.max(1, bytes.length) : piece;
        for (int at = 0; at < bytes.length; at += size) {
            ByteBuffer chunk = ByteBuffer.wrap(bytes, at, Math.min(size, bytes.length - at));
            engine.receive(chunk);
            assertThat(chunk.hasRemaining()).as("receive consumes all it is given").isFalse();
        }
    }

    private static byte[] frame(EngineScript.Reader s) {
        return switch (s.frameKind()) {
            case CONNECT -> {
                long maxMessage = s.u32();
                int maxCallee = s.u16();
                int maxDisconnect = s.u16();
                int flags = s.u8();
                Qos qos = (flags & 1) != 0 ? s.qos() : null;
                Group group = (flags & 2) != 0 ? s.group() : null;
                yield FrameEncoder.toBytes(new Frame.Connect(maxMessage, maxCallee, maxDisconnect, qos, group,
                        s.data(WireFormat.MAX_PAYLOAD - 79)));
            }
            case ACCEPT -> {
                long maxMessage = s.u32();
                int maxDisconnect = s.u16();
                int flags = s.u8();
                Qos qos = (flags & 1) != 0 ? s.qos() : null;
                Group group = (flags & 2) != 0 ? new Group(GroupKind.JOIN, s.u32(), s.u16()) : null;
                yield FrameEncoder.toBytes(new Frame.Accept(maxMessage, maxDisconnect, qos, group,
                        s.data(WireFormat.MAX_PAYLOAD - 76)));
            }
            case REJECT -> FrameEncoder.toBytes(new Frame.Reject(s.u16(), s.data(WireFormat.MAX_REASON_DATA)));
            case PENDING -> FrameEncoder.toBytes(new Frame.Pending());
            case DATA -> FrameEncoder.toBytes(new Frame.Data((s.u8() & 1) != 0, s.data()));
            case DISCONNECT -> FrameEncoder.toBytes(new Frame.Disconnect((s.u8() & 1) != 0, s.data()));
            case ABORT -> FrameEncoder.toBytes(new Frame.Abort(s.u16(), s.data(WireFormat.MAX_REASON_DATA)));
            case IGNORABLE -> {
                int type = 0x80 | s.u8();
                byte[] payload = s.data();
                yield Vectors.concat(header(type, 0, payload.length), payload);
            }
            case RAW -> {
                byte[] head = header(s.u8(), s.u8(), s.u16());
                yield Vectors.concat(head, s.data());
            }
        };
    }

    private static byte[] header(int type, int flags, int length) {
        return new byte[] {(byte) type, (byte) flags, (byte) (length >>> 8), (byte) length};
    }

    /** Runs a command; true if it was carried out, false if refused (after checking it changed nothing). */
    private boolean command(Runnable command) {
        EngineState state = engine.state();
        int output = engine.pendingOutput();
        CloseIndication outcome = engine.outcome();
        try {
            command.run();
            return true;
        } catch (IllegalCommandException e) {
            assertThat(engine.state()).as("state after a refused %s (%s)", step, e.getMessage()).isEqualTo(state);
            assertThat(engine.pendingOutput()).as("output after a refused %s", step).isEqualTo(output);
            assertThat(engine.outcome()).as("outcome after a refused %s", step).isEqualTo(outcome);
            assertThat(engine.pollEvent()).as("events after a refused %s", step).isNull();
            assertThat(e.winsockError()).as("the refusal's Winsock error").isNotNull();
            return false;
        }
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
        check(!disconnectSent || frame instanceof Frame.Abort, frame, "only an ABORT may follow the DISCONNECT");
        switch (frame) {
            case Frame.Connect c -> {
                check(!callee, frame, "a callee never sends CONNECT");
                check(framesSent == 1, frame, "CONNECT comes right after the preamble");
            }
            case Frame.Accept a -> {
                decision(frame);
                acceptSent = true;
            }
            case Frame.Reject r -> {
                decision(frame);
                // Before the request, a REJECT only refuses caller data over the limit, at the CONNECT header.
                check(requested || (r.reason() == ReasonCode.DATA_TOO_LARGE
                        && Internals.lastHeaderType(engine) == FrameType.CONNECT.code()), frame,
                        "a REJECT without a request only refuses a CONNECT's caller data over the limit");
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
            case Frame.CloseSeen c -> {
                check(peerClosed, frame, "CLOSE_SEEN only after a DISCONNECT with CLOSED arrived");
                check(!closeSeenSent, frame, "one CLOSE_SEEN");
                closeSeenSent = true;
            }
            case Frame.Abort a -> {
                check(!ReasonCode.ofWire(a.reasonCode()).isLocalOnly(), frame, "local-only reasons are never sent");
                terminalSent = true;
            }
            case Frame.Preamble p -> fail("unreachable");
        }
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
                    assertThat(r.callerData().length).as(what).isLessThanOrEqualTo(limits.maxCallerData());
                    requested = true;
                    earlyCharged = r.callerData().length;
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
                        assertThat(earlyCharged).as(what + ": early messages within the caller-data limit")
                                .isLessThanOrEqualTo(limits.maxCallerData());
                    }
                    assertThat(peerDisconnected).as(what + ": no message after the peer's disconnect").isFalse();
                    assertThat((long) m.message().length).as(what).isLessThanOrEqualTo(limits.maxMessageSize());
                }
                case ProtocolEvent.PeerDisconnected d -> {
                    assertThat(callee ? acceptedLocally : acceptedEvent).as(what + ": disconnect once open").isTrue();
                    assertThat(peerDisconnected).as(what + ": one peer disconnect").isFalse();
                    assertThat(d.data().length).as(what).isLessThanOrEqualTo(limits.maxDisconnectData());
                    peerDisconnected = true;
                    peerClosed = d.peerClosed();
                }
                case ProtocolEvent.Closed c -> {
                    closed = c.indication();
                    checkEnding(op, c.indication(), what);
                }
            }
        }
    }

    private void checkEnding(EngineScript.Op op, CloseIndication ending, String what) {
        assertThat(engine.outcome()).as(what + ": the outcome is the Closed event's").isEqualTo(ending);
        if (ending.isGraceful()) {
            assertThat(peerDisconnected && disconnectCommanded)
                    .as(what + ": graceful only once both DISCONNECTs crossed").isTrue();
            assertThat(op).as(what + ": graceful only by a DISCONNECT, sent or received")
                    .isIn(EngineScript.Op.DISCONNECT, EngineScript.Op.IN_BYTES, EngineScript.Op.IN_FRAME);
        }
        switch (op) {
            case EOS -> assertThat(ending).as(what + ": an end of stream is an abort").isEqualTo(
                    new CloseIndication(CloseIndication.Kind.ABORTED, ReasonCode.TRANSPORT_CLOSED, ending.detail()));
            case RESET -> assertThat(ending).as(what + ": a reset is a reset").isEqualTo(
                    new CloseIndication(CloseIndication.Kind.RESET, ReasonCode.TRANSPORT_RESET, ending.detail()));
            case TIME -> assertThat(ending).as(what + ": a deadline is a timeout").isEqualTo(
                    new CloseIndication(CloseIndication.Kind.ABORTED, ReasonCode.TIMED_OUT, ending.detail()));
            default -> {
            }
        }
        if (ending.kind() == CloseIndication.Kind.REFUSED) {
            assertThat(acceptedEvent || acceptedLocally).as(what + ": refused only before opening").isFalse();
        }
    }

    private void checkState() {
        boolean isClosed = engine.state() == EngineState.CLOSED;
        assertThat(isClosed).as("after %s: CLOSED exactly when a Closed event came", step).isEqualTo(closed != null);
        assertThat(engine.outcome() != null).as("after %s: an outcome exactly when CLOSED", step).isEqualTo(isClosed);
        if (isClosed) {
            assertThat(engine.deadline()).as("no deadline once closed").isEqualTo(Long.MAX_VALUE);
        }
    }

    private void checkMemory() {
        assertThat((long) Internals.decoderBuffer(engine)).as("after %s: decoder buffer", step)
                .isLessThanOrEqualTo(largestFrameBuffer);
        // 16: the smallest buffer, whatever the limit; at most one of the two partial-message buffers is used.
        assertThat((long) Internals.partialMessage(engine)).as("after %s: partial message buffers", step)
                .isLessThanOrEqualTo(2 * 16 + limits.maxMessageSize());
        if (engine.state() == EngineState.CLOSED) {
            assertThat(Internals.partialMessageBytes(engine)).as("after %s: a closed engine holds no partial message",
                    step).isZero();
        }
    }
}
