package io.parley.protocol;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which inbound frames and which local commands are legal in which state (docs/protocol.md, "State
 * machine"). An inbound frame outside its row is a protocol violation; a command outside its row is an
 * {@link IllegalCommandException}. CLOSED ignores every inbound frame. CLOSE_SEEN is legal in every state
 * that reads frames: like an unknown extension frame, it never breaks the sequence. Early messages: the
 * caller may send in CONNECTING, and the callee receives DATA and MESSAGE_SIZE in REQUESTED.
 */
final class StateTable {
    private static final Map<EngineState, Set<FrameType>> INBOUND = new EnumMap<>(EngineState.class);
    private static final Map<EngineState, Set<Command>> COMMANDS = new EnumMap<>(EngineState.class);

    static {
        row(EngineState.IDLE, EnumSet.noneOf(FrameType.class), EnumSet.of(Command.CONNECT, Command.ABORT));
        row(EngineState.CONNECTING, EnumSet.of(FrameType.PREAMBLE, FrameType.ACCEPT, FrameType.REJECT,
                FrameType.PENDING, FrameType.ABORT, FrameType.CLOSE_SEEN), EnumSet.of(Command.SEND, Command.ABORT));
        row(EngineState.AWAITING_REQUEST,
                EnumSet.of(FrameType.PREAMBLE, FrameType.CONNECT, FrameType.ABORT, FrameType.CLOSE_SEEN),
                EnumSet.of(Command.ABORT));
        row(EngineState.REQUESTED, EnumSet.of(FrameType.DATA, FrameType.MESSAGE_SIZE, FrameType.ABORT,
                FrameType.CLOSE_SEEN), EnumSet.of(Command.DECIDE, Command.ABORT));
        row(EngineState.OPEN, EnumSet.of(FrameType.DATA, FrameType.MESSAGE_SIZE, FrameType.DISCONNECT,
                        FrameType.ABORT, FrameType.CLOSE_SEEN),
                EnumSet.of(Command.SEND, Command.SEND_DISCONNECT, Command.ABORT));
        row(EngineState.SEND_CLOSED, EnumSet.of(FrameType.DATA, FrameType.MESSAGE_SIZE, FrameType.DISCONNECT,
                FrameType.ABORT, FrameType.CLOSE_SEEN), EnumSet.of(Command.ABORT));
        row(EngineState.RECEIVE_CLOSED, EnumSet.of(FrameType.ABORT, FrameType.CLOSE_SEEN),
                EnumSet.of(Command.SEND, Command.SEND_DISCONNECT, Command.ABORT));
        row(EngineState.CLOSED, EnumSet.noneOf(FrameType.class), EnumSet.noneOf(Command.class));
    }

    private StateTable() {
    }

    private static void row(EngineState state, Set<FrameType> inbound, Set<Command> commands) {
        INBOUND.put(state, inbound);
        COMMANDS.put(state, commands);
    }

    static boolean allowsFrame(EngineState state, FrameType type) {
        return INBOUND.get(state).contains(type);
    }

    static boolean allowsCommand(EngineState state, Command command) {
        return COMMANDS.get(state).contains(command);
    }

    /** The inbound frames legal in a state (for documentation and tests). */
    static Set<FrameType> inbound(EngineState state) {
        return Set.copyOf(INBOUND.get(state));
    }
}
