package io.parley.protocol;

import io.parley.CloseIndication;
import io.parley.ReasonCode;
import io.parley.WinsockError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.parley.protocol.EngineState.AWAITING_REQUEST;
import static io.parley.protocol.EngineState.CLOSED;
import static io.parley.protocol.EngineState.CONNECTING;
import static io.parley.protocol.EngineState.IDLE;
import static io.parley.protocol.EngineState.OPEN;
import static io.parley.protocol.EngineState.RECEIVE_CLOSED;
import static io.parley.protocol.EngineState.REQUESTED;
import static io.parley.protocol.EngineState.SEND_CLOSED;
import static io.parley.protocol.ProtocolEngine.Role.CALLEE;
import static io.parley.protocol.ProtocolEngine.Role.CALLER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every row of the state table in docs/protocol.md ("State machine"), written out here independently of
 * StateTable.java: each inbound frame type in each state of each role, and each command in each state.
 */
class StateTableTest {

    /**
     * Inbound frames legal in each state and where they lead (docs/protocol.md, inbound table). CLOSE_SEEN is
     * legal in every state that reads frames and leads nowhere; a held request receives early messages.
     */
    private static final Map<EngineState, Map<FrameType, EngineState>> LEGAL = Map.of(
            CONNECTING, Map.of(FrameType.ACCEPT, OPEN, FrameType.REJECT, CLOSED, FrameType.PENDING, CONNECTING,
                    FrameType.ABORT, CLOSED, FrameType.CLOSE_SEEN, CONNECTING),
            AWAITING_REQUEST, Map.of(FrameType.CONNECT, REQUESTED, FrameType.ABORT, CLOSED,
                    FrameType.CLOSE_SEEN, AWAITING_REQUEST),
            REQUESTED, Map.of(FrameType.DATA, REQUESTED, FrameType.MESSAGE_SIZE, REQUESTED, FrameType.ABORT, CLOSED,
                    FrameType.CLOSE_SEEN, REQUESTED),
            OPEN, Map.of(FrameType.DATA, OPEN, FrameType.MESSAGE_SIZE, OPEN, FrameType.DISCONNECT, RECEIVE_CLOSED,
                    FrameType.ABORT, CLOSED, FrameType.CLOSE_SEEN, OPEN),
            SEND_CLOSED, Map.of(FrameType.DATA, SEND_CLOSED, FrameType.MESSAGE_SIZE, SEND_CLOSED,
                    FrameType.DISCONNECT, CLOSED, FrameType.ABORT, CLOSED, FrameType.CLOSE_SEEN, SEND_CLOSED),
            RECEIVE_CLOSED, Map.of(FrameType.ABORT, CLOSED, FrameType.CLOSE_SEEN, RECEIVE_CLOSED));

    static Stream<Arguments> reachableStates() {
        return Stream.of(
                Arguments.of(CALLER, CONNECTING), Arguments.of(CALLER, OPEN), Arguments.of(CALLER, SEND_CLOSED),
                Arguments.of(CALLER, RECEIVE_CLOSED), Arguments.of(CALLEE, AWAITING_REQUEST),
                Arguments.of(CALLEE, REQUESTED), Arguments.of(CALLEE, OPEN), Arguments.of(CALLEE, SEND_CLOSED),
                Arguments.of(CALLEE, RECEIVE_CLOSED));
    }

    static Stream<Arguments> statesAndFrames() {
        return reachableStates().flatMap(a -> Stream.of(FrameType.values()).filter(t -> t != FrameType.PREAMBLE)
                .map(t -> Arguments.of(a.get()[0], a.get()[1], t)));
    }

    @ParameterizedTest(name = "{0} in {1} receives {2}")
    @MethodSource("statesAndFrames")
    void eachInboundFrameIsLegalOnlyInItsRow(ProtocolEngine.Role role, EngineState state, FrameType type) {
        ProtocolEngine engine = Engines.in(role, state);
        engine.receive(ByteBuffer.wrap(Engines.bytes(sample(type))));
        List<ProtocolEvent> events = Engines.events(engine);
        List<Frame> sent = Engines.outputFrames(engine, false);

        EngineState next = LEGAL.get(state).get(type);
        if (next == null) {
            assertThat(engine.state()).isEqualTo(CLOSED);
            assertThat(engine.outcome().kind()).isEqualTo(CloseIndication.Kind.ABORTED);
            assertThat(engine.outcome().reason()).isEqualTo(ReasonCode.PROTOCOL_VIOLATION);
            assertThat(sent).singleElement().isInstanceOfSatisfying(Frame.Abort.class,
                    a -> assertThat(a.reason()).isEqualTo(ReasonCode.PROTOCOL_VIOLATION));
            assertThat(events).containsExactly(new ProtocolEvent.Closed(engine.outcome()));
            return;
        }
        assertThat(engine.state()).isEqualTo(next);
        assertThat(sent).as("a legal inbound frame is not answered").isEmpty();
        if (type == FrameType.MESSAGE_SIZE || type == FrameType.CLOSE_SEEN) {
            assertThat(events).as("an announced size or a seen close is no event").isEmpty();
            return;
        }
        ProtocolEvent last = events.getLast();
        switch (type) {
            case ACCEPT -> assertThat(last).isInstanceOf(ProtocolEvent.Accepted.class);
            case REJECT -> assertThat(engine.outcome().kind()).isEqualTo(CloseIndication.Kind.REFUSED);
            case PENDING -> assertThat(last).isInstanceOf(ProtocolEvent.Deferred.class);
            case CONNECT -> assertThat(last).isInstanceOf(ProtocolEvent.ConnectRequested.class);
            case DATA -> assertThat(last).isInstanceOf(ProtocolEvent.MessageReceived.class);
            case DISCONNECT -> {
                assertThat(events.getFirst()).isInstanceOf(ProtocolEvent.PeerDisconnected.class);
                if (next == CLOSED) {
                    assertThat(engine.outcome()).isEqualTo(CloseIndication.GRACEFUL);
                }
            }
            case ABORT -> {
                assertThat(engine.outcome().kind()).isEqualTo(CloseIndication.Kind.RESET);
                assertThat(engine.outcome().winsockError()).isEqualTo(WinsockError.WSAECONNRESET);
            }
            default -> throw new AssertionError(type);
        }
        if (next == CLOSED) {
            assertThat(last).isEqualTo(new ProtocolEvent.Closed(engine.outcome()));
        }
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("reachableStates")
    void theCodeTableMatchesTheDocumentedTable(ProtocolEngine.Role role, EngineState state) {
        Set<FrameType> legal = EnumSet.noneOf(FrameType.class);
        legal.addAll(LEGAL.get(state).keySet());
        if (state == CONNECTING || state == AWAITING_REQUEST) {
            legal.add(FrameType.PREAMBLE);
        }
        assertThat(StateTable.inbound(state)).isEqualTo(legal);
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("reachableStates")
    void ignorableExtensionFramesAreSkippedInEveryState(ProtocolEngine.Role role, EngineState state) {
        ProtocolEngine engine = Engines.in(role, state);
        engine.receive(ByteBuffer.wrap(new byte[] {(byte) 0x80, 0, 0, 3, 1, 2, 3, (byte) 0xFF, (byte) 0xFF, 0, 0}));
        assertThat(engine.state()).isEqualTo(state);
        assertThat(Engines.events(engine)).isEmpty();
        assertThat(Engines.output(engine)).isEmpty();
    }

    @Test
    void aClosedEngineIgnoresEveryFrame() {
        for (ProtocolEngine.Role role : ProtocolEngine.Role.values()) {
            for (FrameType type : FrameType.values()) {
                if (type == FrameType.PREAMBLE) {
                    continue;
                }
                ProtocolEngine engine = Engines.in(role, CLOSED);
                CloseIndication outcome = engine.outcome();
                engine.receive(ByteBuffer.wrap(Engines.bytes(sample(type))));
                engine.receiveEndOfStream();
                engine.receiveReset("late");
                engine.handleTimeout(Long.MAX_VALUE);
                assertThat(engine.outcome()).isSameAs(outcome);
                assertThat(Engines.events(engine)).isEmpty();
                assertThat(Engines.output(engine)).isEmpty();
            }
        }
    }

    @Test
    void anIdleCallerTakesNoInput() {
        // A caller sends its preamble and CONNECT before it reads: bytes before that are a violation, and an
        // idle caller has sent nothing, so it closes without a frame.
        ProtocolEngine engine = Engines.caller();
        engine.receive(ByteBuffer.wrap(Engines.bytes(new Frame.Preamble(1, 1), Engines.accept())));
        assertThat(engine.outcome().reason()).isEqualTo(ReasonCode.PROTOCOL_VIOLATION);
        assertThat(Engines.output(engine)).isEmpty();
    }

    // ------------------------------------------------------------------------------ commands

    enum Cmd { CONNECT, ACCEPT, REJECT, DEFER, SEND, SEND_DISCONNECT, ABORT }

    static Stream<Arguments> statesAndCommands() {
        Stream<Arguments> withIdleAndClosed = Stream.concat(reachableStates(), Stream.of(Arguments.of(CALLER, IDLE),
                Arguments.of(CALLER, CLOSED), Arguments.of(CALLEE, CLOSED)));
        return withIdleAndClosed.flatMap(a -> Stream.of(Cmd.values())
                .map(c -> Arguments.of(a.get()[0], a.get()[1], c)));
    }

    /** The documented error of a command in a state, or null if it is legal there. */
    private static WinsockError documentedError(EngineState state, Cmd command) {
        if (command == Cmd.ABORT) {
            return null;
        }
        if (state == CLOSED) {
            return WinsockError.WSAECONNABORTED; // the engines here were closed by a local abort
        }
        return switch (command) {
            case CONNECT -> state == IDLE ? null : WinsockError.WSAEISCONN;
            case ACCEPT, REJECT, DEFER -> state == REQUESTED ? null : WinsockError.WSAENOTCONN;
            case SEND -> switch (state) {
                case CONNECTING, OPEN, RECEIVE_CLOSED -> null;
                case SEND_CLOSED -> WinsockError.WSAESHUTDOWN;
                default -> WinsockError.WSAENOTCONN;
            };
            case SEND_DISCONNECT -> switch (state) {
                case OPEN, RECEIVE_CLOSED -> null;
                case SEND_CLOSED -> WinsockError.WSAESHUTDOWN;
                default -> WinsockError.WSAENOTCONN;
            };
            case ABORT -> null;
        };
    }

    @ParameterizedTest(name = "{0} in {1}: {2}")
    @MethodSource("statesAndCommands")
    void eachCommandIsLegalOnlyInItsRow(ProtocolEngine.Role role, EngineState state, Cmd command) {
        ProtocolEngine engine = Engines.in(role, state);
        WinsockError error = documentedError(state, command);
        if (error != null) {
            assertThatThrownBy(() -> run(engine, command)).isInstanceOfSatisfying(IllegalCommandException.class,
                    e -> assertThat(e.winsockError()).as(e.getMessage()).isEqualTo(error));
            assertThat(engine.state()).as("a refused command changes nothing").isEqualTo(state);
            assertThat(Engines.output(engine)).isEmpty();
            assertThat(Engines.events(engine)).isEmpty();
            return;
        }
        run(engine, command);
        EngineState expected = switch (command) {
            case CONNECT -> CONNECTING;
            case ACCEPT -> OPEN;
            case REJECT, ABORT -> CLOSED;
            case DEFER, SEND -> state;
            case SEND_DISCONNECT -> state == RECEIVE_CLOSED ? CLOSED : SEND_CLOSED;
        };
        assertThat(engine.state()).isEqualTo(expected);
        List<Frame> sent = Engines.outputFrames(engine, command == Cmd.CONNECT);
        boolean silent = command == Cmd.ABORT && (state == IDLE || state == CLOSED);
        assertThat(sent.isEmpty()).as("frames sent: %s", sent).isEqualTo(silent);
    }

    private static void run(ProtocolEngine engine, Cmd command) {
        switch (command) {
            case CONNECT -> engine.connect(null, null, new byte[0]);
            case ACCEPT -> engine.accept(new byte[0], null, null);
            case REJECT -> engine.reject(ReasonCode.REFUSED, new byte[0]);
            case DEFER -> engine.defer(0);
            case SEND -> engine.send(ByteBuffer.wrap(new byte[] {1}));
            case SEND_DISCONNECT -> engine.sendDisconnect(new byte[0], false);
            case ABORT -> engine.abort(ReasonCode.APPLICATION_ABORT, "test");
        }
    }

    /** A frame of the type that the engines in {@link Engines} accept wherever the type is legal. */
    static Frame sample(FrameType type) {
        return switch (type) {
            case CONNECT -> Engines.connect();
            case ACCEPT -> Engines.accept();
            case REJECT -> new Frame.Reject(ReasonCode.REFUSED.code(), new byte[0]);
            case PENDING -> new Frame.Pending();
            case DATA -> new Frame.Data(false, new byte[] {'x'});
            case MESSAGE_SIZE -> new Frame.MessageSize(1);
            case CLOSE_SEEN -> new Frame.CloseSeen();
            case DISCONNECT -> new Frame.Disconnect(false, new byte[0]);
            case ABORT -> new Frame.Abort(ReasonCode.APPLICATION_ABORT.code(), new byte[0]);
            case PREAMBLE -> new Frame.Preamble(1, 1);
        };
    }
}
