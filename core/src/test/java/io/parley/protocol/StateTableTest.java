package io.parley.protocol;

import io.parley.CloseIndication;
import io.parley.ReasonCode;
import io.parley.WinsockError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.parley.protocol.EngineState.AWAITING_REQUEST;
import static io.parley.protocol.EngineState.CLOSED;
import static io.parley.protocol.EngineState.CLOSING;
import static io.parley.protocol.EngineState.CONNECTING;
import static io.parley.protocol.EngineState.IDLE;
import static io.parley.protocol.EngineState.OPEN;
import static io.parley.protocol.EngineState.RECEIVE_CLOSED;
import static io.parley.protocol.EngineState.REQUESTED;
import static io.parley.protocol.EngineState.SEND_CLOSED;
import static io.parley.protocol.EngineState.SEND_CONFIRMED;
import static io.parley.protocol.ProtocolEngine.Role.CALLEE;
import static io.parley.protocol.ProtocolEngine.Role.CALLER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The state table of docs/protocol.md ("State machine") against the code: its three tables are parsed and
 * must have exactly the rows of {@link StateTable}, and a real engine must follow every row (and treat every
 * missing frame row as a violation, every missing command row as a refused command).
 */
class StateTableTest {
    private static final Pattern ROW = Pattern.compile("^\\|([^|]+)\\|([^|]+)\\|([^|]+)\\|(.*)\\|\\s*$");
    private static final Pattern STATE = Pattern.compile("`([A-Z_]+)`");

    /** The rows of the document's tables, keyed by state and input. */
    private static Map<String, StateTable.Transition> documentedRows() throws IOException {
        String text = Files.readString(VectorFile.docs("protocol.md"));
        String machine = text.substring(text.indexOf("## 7. State machine"), text.indexOf("### 7.5 Timeouts"));
        Map<String, StateTable.Transition> rows = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : machine.split("\n")) {
            if (line.startsWith("| State | Input | Next state |")) {
                inTable = true;
                continue;
            }
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            Matcher m = ROW.matcher(line);
            if (!inTable || line.startsWith("|---") || !m.matches()) {
                continue;
            }
            String input = m.group(2).trim();
            String next = m.group(3).trim();
            String effectText = m.group(4);
            Matcher states = STATE.matcher(m.group(1));
            while (states.find()) {
                EngineState from = EngineState.valueOf(states.group(1));
                EngineState to = next.equals("unchanged") ? from : EngineState.valueOf(next.replace("`", ""));
                for (Input in : inputs(input, from)) {
                    StateTable.Transition row = new StateTable.Transition(from, in, to, null);
                    assertThat(rows.put(from + " " + in, row)).as("one documented row for %s %s", from, in).isNull();
                    assertThat(effectText).as("%s %s: the effect", from, in).isNotBlank();
                    rowEffects.put(from + " " + in, effectText);
                }
            }
        }
        return rows;
    }

    private static final Map<String, String> rowEffects = new LinkedHashMap<>();

    private static List<Input> inputs(String documented, EngineState from) {
        if (documented.equals("any byte")) {
            // IDLE: nothing is legal (every byte is a violation); CLOSED: every frame is ignored.
            return from == IDLE ? List.of() : Stream.of(Input.values()).filter(i -> i.kind() == Input.Kind.FRAME).toList();
        }
        String name = documented.startsWith("recv ") ? "RECV_" + documented.substring(5)
                : documented.replaceAll("([a-z])([A-Z])", "$1_$2").replace(' ', '_').toUpperCase();
        return List.of(Input.valueOf(name));
    }

    @Test
    void theDocumentedTablesHaveExactlyTheRowsOfTheCode() throws IOException {
        Map<String, StateTable.Transition> documented = documentedRows();
        Map<String, StateTable.Transition> code = new LinkedHashMap<>();
        for (StateTable.Transition row : StateTable.rows()) {
            code.put(row.from() + " " + row.input(), row);
        }
        assertThat(documented.keySet()).as("(state, input) pairs").containsExactlyInAnyOrderElementsOf(code.keySet());
        for (Map.Entry<String, StateTable.Transition> row : code.entrySet()) {
            assertThat(documented.get(row.getKey()).to()).as("next state of %s", row.getKey())
                    .isEqualTo(row.getValue().to());
            String text = rowEffects.get(row.getKey());
            for (String word : effectWords(row.getValue().effect())) {
                assertThat(text).as("the documented effect of %s", row.getKey()).containsIgnoringCase(word);
            }
        }
    }

    /** Words the document must use for an effect (none for a plain state change). */
    private static List<String> effectWords(StateTable.Effect effect) {
        return switch (effect) {
            case NONE -> List.of();
            case ACKNOWLEDGE -> List.of("sends DISCONNECT_ACK");
            case ACKNOWLEDGE_GRACEFUL -> List.of("sends DISCONNECT_ACK", "gracefully");
            case GRACEFUL -> List.of("gracefully");
            case REFUSED -> List.of("refused");
            case RESET -> List.of("reset");
            case ABORTED -> List.of("aborted");
            case UNCONFIRMED -> List.of("unconfirmed");
            case IGNORED -> List.of();
        };
    }

    // ------------------------------------------------------------------------------ the engine follows it

    static Stream<Arguments> reachableStates() {
        return Stream.of(
                Arguments.of(CALLER, CONNECTING), Arguments.of(CALLER, OPEN), Arguments.of(CALLER, SEND_CLOSED),
                Arguments.of(CALLER, SEND_CONFIRMED), Arguments.of(CALLER, RECEIVE_CLOSED), Arguments.of(CALLER, CLOSING),
                Arguments.of(CALLEE, AWAITING_REQUEST), Arguments.of(CALLEE, REQUESTED), Arguments.of(CALLEE, OPEN),
                Arguments.of(CALLEE, SEND_CLOSED), Arguments.of(CALLEE, SEND_CONFIRMED),
                Arguments.of(CALLEE, RECEIVE_CLOSED), Arguments.of(CALLEE, CLOSING));
    }

    /** An engine in the state; a REQUESTED one has 8 bytes of early messages declared, so samples fit. */
    static ProtocolEngine in(ProtocolEngine.Role role, EngineState state) {
        ProtocolEngine engine;
        switch (state) {
            case REQUESTED -> {
                engine = Engines.callee();
                engine.receive(ByteBuffer.wrap(Engines.bytes(new Frame.Preamble(1, 1),
                        new Frame.Connect(32, 16, 16, 1024, 8, Optional.empty(), Optional.empty(), new byte[0]))));
            }
            case SEND_CONFIRMED -> {
                engine = Engines.in(role, SEND_CLOSED);
                engine.receive(ByteBuffer.wrap(Engines.bytes(new Frame.DisconnectAck())));
            }
            case CLOSING -> {
                engine = Engines.in(role, RECEIVE_CLOSED);
                engine.sendDisconnect(new byte[0], false);
            }
            default -> engine = Engines.in(role, state);
        }
        assertThat(engine.state()).isEqualTo(state);
        Engines.output(engine);
        Engines.events(engine);
        return engine;
    }

    static Stream<Arguments> statesAndFrames() {
        return reachableStates().flatMap(a -> Stream.of(FrameType.values())
                .filter(t -> t != FrameType.PREAMBLE && t != FrameType.CONTINUATION)
                .map(t -> Arguments.of(a.get()[0], a.get()[1], t)));
    }

    private static boolean isVersion2(FrameType type) {
        return type == FrameType.QOS_REQUEST || type == FrameType.QOS_ANSWER;
    }

    /**
     * The engine the row of {@code type} is checked on: QOS_REQUEST and QOS_ANSWER in version 2, QOS_ANSWER
     * with a request of this side's unanswered (without one it is a violation wherever it comes).
     */
    private static ProtocolEngine receiving(ProtocolEngine.Role role, EngineState state, FrameType type) {
        if (!isVersion2(type)) {
            return in(role, state);
        }
        ProtocolEngine engine = Engines.in(role, state, 2, type == FrameType.QOS_ANSWER);
        Engines.output(engine);
        Engines.events(engine);
        return engine;
    }

    @ParameterizedTest(name = "{0} in {1}, version 1, receives {2}")
    @MethodSource("statesAndFrames")
    void inVersionOneTheVersionTwoFramesAreUnknownTypesEverywhere(ProtocolEngine.Role role, EngineState state,
                                                                 FrameType type) {
        if (!isVersion2(type)) {
            return;
        }
        ProtocolEngine engine = in(role, state);
        engine.receive(ByteBuffer.wrap(Engines.bytes(sample(type))));
        assertThat(engine.outcome().orElseThrow().reason()).isEqualTo(ReasonCode.PROTOCOL_VIOLATION);
    }

    @ParameterizedTest(name = "{0} in {1} receives {2}")
    @MethodSource("statesAndFrames")
    void eachInboundFrameLeadsWhereItsRowSaysOrIsAViolation(ProtocolEngine.Role role, EngineState state,
                                                           FrameType type) {
        ProtocolEngine engine = receiving(role, state, type);
        engine.receive(ByteBuffer.wrap(Engines.bytes(sample(type))));
        List<ProtocolEvent> events = Engines.events(engine);
        List<Frame> sent = Engines.outputFrames(engine, false);

        StateTable.Transition row = StateTable.transition(state, Input.ofFrame(type));
        if (row == null) {
            assertThat(engine.outcome().orElseThrow().kind()).isEqualTo(CloseIndication.Kind.ABORTED);
            assertThat(engine.outcome().orElseThrow().reason()).isEqualTo(ReasonCode.PROTOCOL_VIOLATION);
            assertThat(sent).singleElement().isInstanceOfSatisfying(Frame.Abort.class,
                    a -> assertThat(a.reason()).isEqualTo(ReasonCode.PROTOCOL_VIOLATION));
            assertThat(events).containsExactly(new ProtocolEvent.Closed(engine.outcome().orElseThrow()));
            return;
        }
        assertThat(engine.state()).isEqualTo(row.to());
        boolean acknowledges = row.effect() == StateTable.Effect.ACKNOWLEDGE
                || row.effect() == StateTable.Effect.ACKNOWLEDGE_GRACEFUL;
        assertThat(sent).as("only a DISCONNECT is answered, by its acknowledgement")
                .isEqualTo(acknowledges ? List.of(new Frame.DisconnectAck()) : List.of());
        CloseIndication.Kind kind = row.effect().kind();
        if (kind != null) {
            assertThat(engine.outcome().orElseThrow().kind()).isEqualTo(kind);
            assertThat(events.getLast()).isEqualTo(new ProtocolEvent.Closed(engine.outcome().orElseThrow()));
        }
        switch (type) {
            case ACCEPT -> assertThat(events.getLast()).isInstanceOf(ProtocolEvent.Accepted.class);
            case PENDING -> assertThat(events.getLast()).isInstanceOf(ProtocolEvent.Deferred.class);
            case CONNECT -> assertThat(events.getLast()).isInstanceOf(ProtocolEvent.ConnectRequested.class);
            case DATA -> assertThat(events.getLast()).isInstanceOf(ProtocolEvent.MessageReceived.class);
            case DISCONNECT -> assertThat(events.getFirst()).isInstanceOf(ProtocolEvent.PeerDisconnected.class);
            case ABORT -> assertThat(engine.outcome().orElseThrow().winsockError()).isEqualTo(WinsockError.WSAECONNRESET);
            case MESSAGE_SIZE, DISCONNECT_ACK -> assertThat(events).as("no event but the end")
                    .allMatch(e -> e instanceof ProtocolEvent.Closed);
            case QOS_REQUEST -> assertThat(events).as("reported in OPEN; after this side's DISCONNECT, ignored")
                    .isEqualTo(state == OPEN ? List.of(new ProtocolEvent.QosRequested(Engines.QOS)) : List.of());
            case QOS_ANSWER -> assertThat(events).containsExactly(
                    new ProtocolEvent.QosAnswered(Optional.of(Engines.QOS), ReasonCode.UNSPECIFIED));
            default -> {
            }
        }
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("reachableStates")
    void transportEventsEndTheConnectionAsTheirRowsSay(ProtocolEngine.Role role, EngineState state) {
        ProtocolEngine ended = in(role, state);
        ended.receiveEndOfStream();
        assertThat(ended.outcome().orElseThrow().kind()).isEqualTo(StateTable.transition(state, Input.END_OF_STREAM).effect().kind());
        assertThat(ended.outcome().orElseThrow().reason()).isEqualTo(ReasonCode.TRANSPORT_CLOSED);
        ProtocolEngine reset = in(role, state);
        reset.receiveReset("RST");
        assertThat(reset.outcome().orElseThrow().kind()).isEqualTo(StateTable.transition(state, Input.RESET).effect().kind());
        assertThat(reset.outcome().orElseThrow().reason()).isEqualTo(ReasonCode.TRANSPORT_RESET);
        assertThat(ended.outcome().orElseThrow().isGraceful() || reset.outcome().orElseThrow().isGraceful()).as("never graceful").isFalse();
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("reachableStates")
    void ignorableExtensionFramesAreSkippedInEveryState(ProtocolEngine.Role role, EngineState state) {
        ProtocolEngine engine = in(role, state);
        engine.receive(ByteBuffer.wrap(new byte[] {(byte) 0x80, 0, 0, 3, 1, 2, 3, (byte) 0xFF, (byte) 0xFF, 0, 0}));
        assertThat(engine.state()).isEqualTo(state);
        assertThat(Engines.events(engine)).isEmpty();
        assertThat(Engines.output(engine)).isEmpty();
    }

    @Test
    void aClosedEngineIgnoresEveryFrameAndEvent() {
        for (ProtocolEngine.Role role : ProtocolEngine.Role.values()) {
            for (FrameType type : FrameType.values()) {
                if (type == FrameType.PREAMBLE || type == FrameType.CONTINUATION) {
                    continue;
                }
                ProtocolEngine engine = Engines.in(role, CLOSED);
                CloseIndication outcome = engine.outcome().orElseThrow();
                engine.receive(ByteBuffer.wrap(Engines.bytes(sample(type))));
                engine.receiveEndOfStream();
                engine.receiveReset("late");
                engine.handleTimeout(Long.MAX_VALUE);
                engine.abort(ReasonCode.APPLICATION_ABORT, "again");
                assertThat(engine.outcome()).containsSame(outcome);
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
        assertThat(engine.outcome().orElseThrow().reason()).isEqualTo(ReasonCode.PROTOCOL_VIOLATION);
        assertThat(Engines.output(engine)).isEmpty();
    }

    // ------------------------------------------------------------------------------ commands

    private static final Set<Input> COMMANDS = EnumSet.of(Input.CONNECT, Input.ACCEPT, Input.REJECT, Input.DEFER,
            Input.SEND, Input.SEND_DISCONNECT, Input.ABORT);

    static Stream<Arguments> statesAndCommands() {
        Stream<Arguments> withIdleAndClosed = Stream.concat(reachableStates(), Stream.of(Arguments.of(CALLER, IDLE),
                Arguments.of(CALLER, CLOSED), Arguments.of(CALLEE, CLOSED)));
        return withIdleAndClosed.flatMap(a -> COMMANDS.stream().map(c -> Arguments.of(a.get()[0], a.get()[1], c)));
    }

    /** The documented error of a command that has no row in a state (docs/protocol.md 7.3). */
    private static WinsockError documentedError(EngineState state, Input command) {
        if (state == CLOSED) {
            return WinsockError.WSAECONNABORTED; // the engines here were closed by a local abort
        }
        return switch (command) {
            case CONNECT -> WinsockError.WSAEISCONN;
            case SEND, SEND_DISCONNECT -> switch (state) {
                case IDLE, CONNECTING, AWAITING_REQUEST, REQUESTED -> WinsockError.WSAENOTCONN;
                default -> WinsockError.WSAESHUTDOWN;
            };
            default -> WinsockError.WSAENOTCONN;
        };
    }

    @ParameterizedTest(name = "{0} in {1}: {2}")
    @MethodSource("statesAndCommands")
    void eachCommandLeadsWhereItsRowSaysOrIsRefusedAndChangesNothing(ProtocolEngine.Role role, EngineState state,
                                                                    Input command) {
        ProtocolEngine engine = state == IDLE || state == CLOSED ? Engines.in(role, state) : in(role, state);
        StateTable.Transition row = StateTable.transition(state, command);
        if (row == null) {
            WinsockError error = documentedError(state, command);
            assertThatThrownBy(() -> run(engine, command)).isInstanceOfSatisfying(IllegalCommandException.class,
                    e -> assertThat(e.winsockError()).as(e.getMessage()).isEqualTo(error));
            assertThat(engine.state()).as("a refused command changes nothing").isEqualTo(state);
            assertThat(Engines.output(engine)).isEmpty();
            assertThat(Engines.events(engine)).isEmpty();
            return;
        }
        run(engine, command);
        assertThat(engine.state()).isEqualTo(row.to());
        CloseIndication.Kind kind = row.effect().kind();
        if (kind != null) {
            assertThat(engine.outcome().orElseThrow().kind()).isEqualTo(kind);
        }
        List<Frame> sent = Engines.outputFrames(engine, command == Input.CONNECT);
        boolean silent = row.effect() == StateTable.Effect.IGNORED || command == Input.ABORT && state == IDLE;
        assertThat(sent.isEmpty()).as("frames sent: %s", sent).isEqualTo(silent);
    }

    private static void run(ProtocolEngine engine, Input command) {
        switch (command) {
            case CONNECT -> engine.connect(Optional.empty(), Optional.empty(), new byte[0], List.of());
            case ACCEPT -> engine.accept(new byte[0], Optional.empty(), Optional.empty());
            case REJECT -> engine.reject(ReasonCode.REFUSED, new byte[0]);
            case DEFER -> engine.defer(0);
            case SEND -> engine.send(ByteBuffer.wrap(new byte[] {1}));
            case SEND_DISCONNECT -> engine.sendDisconnect(new byte[0], false);
            case ABORT -> engine.abort(ReasonCode.APPLICATION_ABORT, "test");
            default -> throw new AssertionError(command);
        }
    }

    /** A frame of the type that the engines here accept wherever the type is legal. */
    static Frame sample(FrameType type) {
        return switch (type) {
            case CONNECT -> Engines.connect();
            case ACCEPT -> Engines.accept();
            case REJECT -> new Frame.Reject(ReasonCode.REFUSED.code(), new byte[0]);
            case PENDING -> new Frame.Pending();
            case DATA -> new Frame.Data(false, new byte[] {'x'});
            case MESSAGE_SIZE -> new Frame.MessageSize(1);
            case DISCONNECT_ACK -> new Frame.DisconnectAck();
            case DISCONNECT -> new Frame.Disconnect(false, new byte[0]);
            case ABORT -> new Frame.Abort(ReasonCode.APPLICATION_ABORT.code(), new byte[0]);
            case PREAMBLE -> new Frame.Preamble(1, 1);
            case QOS_REQUEST -> new Frame.QosRequest(Engines.QOS);
            case QOS_ANSWER -> new Frame.QosAnswer(Optional.of(Engines.QOS), 0);
            case CONTINUATION -> throw new AssertionError("a CONTINUATION is part of the frame it continues");
        };
    }
}
