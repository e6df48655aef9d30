package io.parley.protocol;

import io.parley.FlowSpec;
import io.parley.Qos;

import io.parley.ReasonCode;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Brings engines into each state by the documented route, and reads what they produce. */
final class Engines {
    /**
     * Every engine here uses these limits: 16 bytes of caller, callee and disconnect data, the least max reason
     * data (1024), 32-byte messages.
     */
    static final EngineConfig CONFIG = new EngineConfig(VectorsTest.VECTOR_LIMITS, 8);
    static final long DEADLINE = 10_000_000_000L;
    static final byte[] PREAMBLE = FrameEncoder.toBytes(new Frame.Preamble(1, 1));

    private Engines() {
    }

    /** The QoS the version 2 engines here ask for and grant. */
    static final Qos QOS = new Qos(FlowSpec.bestEffort(1000, 1000), FlowSpec.UNSPECIFIED);

    static ProtocolEngine caller() {
        return ProtocolEngine.caller(CONFIG, DEADLINE);
    }

    static ProtocolEngine callee() {
        return ProtocolEngine.callee(CONFIG, DEADLINE);
    }

    /**
     * As {@link #in(ProtocolEngine.Role, EngineState)}, with both sides speaking versions 1 to {@code version};
     * with {@code askingQos}, a state reached through OPEN has a QoS request of this side's ({@link #QOS}) sent
     * there and unanswered.
     */
    static ProtocolEngine in(ProtocolEngine.Role role, EngineState state, int version, boolean askingQos) {
        EngineConfig config = CONFIG.withMaxVersion(version);
        ProtocolEngine engine = role == ProtocolEngine.Role.CALLER ? ProtocolEngine.caller(config, DEADLINE)
                : ProtocolEngine.callee(config, DEADLINE);
        return reach(engine, state, new Frame.Preamble(1, version), askingQos);
    }

    /**
     * An engine of the role in the state, reached through the documented transitions (docs/protocol.md 7.2,
     * 7.3), with its output and events consumed. CONNECTING and AWAITING_REQUEST are reached with the peer's
     * preamble already read; CLOSING with the peer's DISCONNECT read first, then this side's sent.
     */
    static ProtocolEngine in(ProtocolEngine.Role role, EngineState state) {
        return reach(role == ProtocolEngine.Role.CALLER ? caller() : callee(), state, new Frame.Preamble(1, 1), false);
    }

    private static ProtocolEngine reach(ProtocolEngine engine, EngineState state, Frame.Preamble peer,
                                        boolean askingQos) {
        ProtocolEngine.Role role = engine.role();
        byte[] preamble = bytes(peer);
        switch (state) {
            case IDLE -> assertThat(role).isEqualTo(ProtocolEngine.Role.CALLER);
            case CONNECTING -> {
                engine.connect(Optional.empty(), Optional.empty(), new byte[0], List.of());
                engine.receive(ByteBuffer.wrap(preamble));
            }
            case AWAITING_REQUEST -> engine.receive(ByteBuffer.wrap(preamble));
            case REQUESTED -> engine.receive(ByteBuffer.wrap(bytes(peer, connect())));
            case OPEN -> open(engine, peer, askingQos);
            case SEND_CLOSED -> {
                open(engine, peer, askingQos);
                engine.sendDisconnect(new byte[0], false);
            }
            case SEND_CONFIRMED -> {
                open(engine, peer, askingQos);
                engine.sendDisconnect(new byte[0], false);
                engine.receive(ByteBuffer.wrap(bytes(new Frame.DisconnectAck())));
            }
            case RECEIVE_CLOSED -> {
                open(engine, peer, askingQos);
                engine.receive(ByteBuffer.wrap(bytes(new Frame.Disconnect(false, new byte[0]))));
            }
            case CLOSING -> {
                open(engine, peer, askingQos);
                engine.receive(ByteBuffer.wrap(bytes(new Frame.Disconnect(false, new byte[0]))));
                engine.sendDisconnect(new byte[0], false);
            }
            case CLOSED -> {
                open(engine, peer, askingQos);
                engine.abort(ReasonCode.APPLICATION_ABORT, "test");
            }
        }
        assertThat(engine.state()).isEqualTo(state);
        output(engine);
        events(engine);
        return engine;
    }

    private static void open(ProtocolEngine engine, Frame.Preamble peer, boolean askingQos) {
        if (engine.role() == ProtocolEngine.Role.CALLER) {
            engine.connect(Optional.empty(), Optional.empty(), new byte[0], List.of());
            engine.receive(ByteBuffer.wrap(bytes(peer, accept())));
        } else {
            engine.receive(ByteBuffer.wrap(bytes(peer, connect())));
            engine.accept(new byte[0], Optional.empty(), Optional.empty());
        }
        if (askingQos) {
            engine.requestQos(QOS);
        }
    }

    /** A CONNECT within the engines' limits, advertising the same limits, with no caller data and no early messages. */
    static Frame.Connect connect() {
        return new Frame.Connect(CONFIG.receiveLimits().maxMessageSize(), CONFIG.receiveLimits().maxCalleeData(),
                CONFIG.receiveLimits().maxDisconnectData(), CONFIG.receiveLimits().maxReasonData(), 0, Optional.empty(), Optional.empty(),
                new byte[0]);
    }

    /** An ACCEPT advertising the engines' limits, with no callee data. */
    static Frame.Accept accept() {
        return new Frame.Accept(CONFIG.receiveLimits().maxMessageSize(), CONFIG.receiveLimits().maxDisconnectData(),
                Optional.empty(), Optional.empty(), new byte[0]);
    }

    static byte[] bytes(Frame... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame frame : frames) {
            out.writeBytes(FrameEncoder.toBytes(frame));
        }
        return out.toByteArray();
    }

    /** The bytes the engine produced since last asked (empty if none). */
    static byte[] output(ProtocolEngine engine) {
        ByteBuffer out = engine.takeOutput();
        if (out == null) {
            return new byte[0];
        }
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        engine.releaseOutput();
        return bytes;
    }

    /** The frames the engine produced since last asked; {@code withPreamble}: its output starts a stream. */
    static List<Frame> outputFrames(ProtocolEngine engine, boolean withPreamble) {
        byte[] bytes = output(engine);
        List<Frame> frames = frames(withPreamble ? bytes : concat(PREAMBLE, bytes));
        if (!withPreamble) {
            frames.removeFirst();
        }
        return frames;
    }

    /** The frames of a whole stream, preamble first, decoded with no limits that matter. */
    static List<Frame> frames(byte[] stream) {
        FrameDecoder decoder = new FrameDecoder(FrameArbitraries.WIDE);
        ByteBuffer in = ByteBuffer.wrap(stream);
        List<Frame> frames = new ArrayList<>();
        try {
            Frame frame;
            while ((frame = decoder.next(in)) != null) {
                frames.add(frame);
            }
        } catch (ProtocolViolationException e) {
            throw new AssertionError("invalid output: " + e.getMessage(), e);
        }
        assertThat(decoder.isMidFrame()).isFalse();
        return frames;
    }

    static List<ProtocolEvent> events(ProtocolEngine engine) {
        List<ProtocolEvent> events = new ArrayList<>();
        ProtocolEvent event;
        while ((event = engine.pollEvent()) != null) {
            events.add(event);
        }
        return events;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
