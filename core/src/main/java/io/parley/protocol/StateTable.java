package io.parley.protocol;

import io.parley.CloseIndication;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

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

/**
 * The state machine of docs/protocol.md ("State machine") as data: for each (state, input) pair that is
 * legal, the next state and the effect that decides what is sent or how the connection ends. An inbound
 * frame without a row is a protocol violation; a command without a row is an {@link IllegalCommandException}.
 * The rows are written in the order of the three tables of the document, which a test compares with these.
 */
final class StateTable {

    /** What a transition does beyond changing the state: which frame it sends, how the connection ends. */
    enum Effect {
        /** Nothing beyond the state change (and the input's own work: an event, a frame the command sends). */
        NONE,
        /** Sends DISCONNECT_ACK for the DISCONNECT that arrived. */
        ACKNOWLEDGE,
        /** Sends DISCONNECT_ACK, and the connection ends gracefully. */
        ACKNOWLEDGE_GRACEFUL,
        /** The connection ends gracefully. */
        GRACEFUL,
        /** The request is refused. */
        REFUSED,
        /** The peer ended the connection abortively, or the transport was reset. */
        RESET,
        /** This side ended the connection abortively, or the transport ended without the closing frames. */
        ABORTED,
        /** This side's DISCONNECT was sent but never acknowledged. */
        UNCONFIRMED,
        /** The input is ignored. */
        IGNORED;

        /** How a connection ends by this effect, or null if it does not end it. */
        CloseIndication.Kind kind() {
            return switch (this) {
                case GRACEFUL, ACKNOWLEDGE_GRACEFUL -> CloseIndication.Kind.GRACEFUL;
                case REFUSED -> CloseIndication.Kind.REFUSED;
                case RESET -> CloseIndication.Kind.RESET;
                case ABORTED -> CloseIndication.Kind.ABORTED;
                case UNCONFIRMED -> CloseIndication.Kind.UNCONFIRMED;
                case NONE, ACKNOWLEDGE, IGNORED -> null;
            };
        }
    }

    /**
     * One row of the table.
     *
     * @param from   the state the row applies in
     * @param input  the input
     * @param to     the next state
     * @param effect what is sent or how the connection ends
     */
    record Transition(EngineState from, Input input, EngineState to, Effect effect) {
    }

    private static final List<Transition> ROWS = new ArrayList<>();
    private static final Map<EngineState, Map<Input, Transition>> BY_STATE = new EnumMap<>(EngineState.class);

    private static final EngineState[] RECEIVING_MESSAGES = {OPEN, SEND_CLOSED, SEND_CONFIRMED};
    private static final EngineState[] OPENED = {OPEN, SEND_CLOSED, SEND_CONFIRMED, RECEIVE_CLOSED, CLOSING};
    private static final EngineState[] ABORTABLE = {CONNECTING, AWAITING_REQUEST, REQUESTED, OPEN, SEND_CLOSED,
            SEND_CONFIRMED, RECEIVE_CLOSED};
    private static final EngineState[] UNFINISHED = {IDLE, CONNECTING, AWAITING_REQUEST, REQUESTED, OPEN,
            SEND_CLOSED, SEND_CONFIRMED, RECEIVE_CLOSED};

    static {
        // 7.2 Inbound frames. IDLE has no row: any byte there is a violation. CLOSED ignores everything.
        row(CONNECTING, Input.RECV_PREAMBLE, CONNECTING, Effect.NONE);
        row(CONNECTING, Input.RECV_ACCEPT, OPEN, Effect.NONE);
        row(CONNECTING, Input.RECV_REJECT, CLOSED, Effect.REFUSED);
        row(CONNECTING, Input.RECV_PENDING, CONNECTING, Effect.NONE);
        row(CONNECTING, Input.RECV_ABORT, CLOSED, Effect.RESET);
        row(AWAITING_REQUEST, Input.RECV_PREAMBLE, AWAITING_REQUEST, Effect.NONE);
        row(AWAITING_REQUEST, Input.RECV_CONNECT, REQUESTED, Effect.NONE);
        row(AWAITING_REQUEST, Input.RECV_ABORT, CLOSED, Effect.RESET);
        row(REQUESTED, Input.RECV_DATA, REQUESTED, Effect.NONE);
        row(REQUESTED, Input.RECV_MESSAGE_SIZE, REQUESTED, Effect.NONE);
        row(REQUESTED, Input.RECV_ABORT, CLOSED, Effect.RESET);
        for (EngineState state : RECEIVING_MESSAGES) {
            row(state, Input.RECV_DATA, state, Effect.NONE);
            row(state, Input.RECV_MESSAGE_SIZE, state, Effect.NONE);
        }
        row(OPEN, Input.RECV_DISCONNECT, RECEIVE_CLOSED, Effect.ACKNOWLEDGE);
        row(SEND_CLOSED, Input.RECV_DISCONNECT, CLOSING, Effect.ACKNOWLEDGE);
        row(SEND_CONFIRMED, Input.RECV_DISCONNECT, CLOSED, Effect.ACKNOWLEDGE_GRACEFUL);
        row(SEND_CLOSED, Input.RECV_DISCONNECT_ACK, SEND_CONFIRMED, Effect.NONE);
        row(CLOSING, Input.RECV_DISCONNECT_ACK, CLOSED, Effect.GRACEFUL);
        for (EngineState state : OPENED) {
            row(state, Input.RECV_ABORT, CLOSED, Effect.RESET);
        }
        // Version 2 (§13): QoS renegotiation; in version 1 these frame types are unknown, a violation.
        row(OPEN, Input.RECV_QOS_REQUEST, OPEN, Effect.NONE);
        row(SEND_CLOSED, Input.RECV_QOS_REQUEST, SEND_CLOSED, Effect.IGNORED);
        row(SEND_CONFIRMED, Input.RECV_QOS_REQUEST, SEND_CONFIRMED, Effect.IGNORED);
        for (EngineState state : RECEIVING_MESSAGES) {
            row(state, Input.RECV_QOS_ANSWER, state, Effect.NONE);
        }
        for (Input input : Input.values()) {
            if (input.kind() == Input.Kind.FRAME) {
                row(CLOSED, input, CLOSED, Effect.IGNORED);
            }
        }

        // 7.3 Local commands.
        row(IDLE, Input.CONNECT, CONNECTING, Effect.NONE);
        row(REQUESTED, Input.ACCEPT, OPEN, Effect.NONE);
        row(REQUESTED, Input.REJECT, CLOSED, Effect.REFUSED);
        row(REQUESTED, Input.DEFER, REQUESTED, Effect.NONE);
        row(OPEN, Input.SEND, OPEN, Effect.NONE);
        row(RECEIVE_CLOSED, Input.SEND, RECEIVE_CLOSED, Effect.NONE);
        row(OPEN, Input.SEND_DISCONNECT, SEND_CLOSED, Effect.NONE);
        row(RECEIVE_CLOSED, Input.SEND_DISCONNECT, CLOSING, Effect.NONE);
        row(IDLE, Input.ABORT, CLOSED, Effect.ABORTED);
        for (EngineState state : ABORTABLE) {
            row(state, Input.ABORT, CLOSED, Effect.ABORTED);
        }
        row(CLOSING, Input.ABORT, CLOSED, Effect.UNCONFIRMED);
        row(CLOSED, Input.ABORT, CLOSED, Effect.IGNORED);
        row(OPEN, Input.REQUEST_QOS, OPEN, Effect.NONE);
        row(OPEN, Input.ANSWER_QOS, OPEN, Effect.NONE);
        row(RECEIVE_CLOSED, Input.ANSWER_QOS, RECEIVE_CLOSED, Effect.NONE);

        // 7.4 Transport events.
        for (EngineState state : UNFINISHED) {
            row(state, Input.END_OF_STREAM, CLOSED, Effect.ABORTED);
        }
        row(CLOSING, Input.END_OF_STREAM, CLOSED, Effect.UNCONFIRMED);
        for (EngineState state : UNFINISHED) {
            row(state, Input.RESET, CLOSED, Effect.RESET);
        }
        row(CLOSING, Input.RESET, CLOSED, Effect.UNCONFIRMED);
        row(IDLE, Input.DEADLINE, CLOSED, Effect.ABORTED);
        row(CONNECTING, Input.DEADLINE, CLOSED, Effect.ABORTED);
        row(AWAITING_REQUEST, Input.DEADLINE, CLOSED, Effect.ABORTED);
        row(REQUESTED, Input.DEADLINE, REQUESTED, Effect.NONE);
        row(CLOSED, Input.END_OF_STREAM, CLOSED, Effect.IGNORED);
        row(CLOSED, Input.RESET, CLOSED, Effect.IGNORED);
    }

    private StateTable() {
    }

    private static void row(EngineState from, Input input, EngineState to, Effect effect) {
        Transition transition = new Transition(from, input, to, effect);
        if (BY_STATE.computeIfAbsent(from, s -> new EnumMap<>(Input.class)).put(input, transition) != null) {
            throw new IllegalStateException("two rows for " + from + " / " + input);
        }
        ROWS.add(transition);
    }

    /**
     * The row for an input in a state.
     *
     * @return the transition, or null if the input is not legal there
     */
    static Transition transition(EngineState state, Input input) {
        Map<Input, Transition> row = BY_STATE.get(state);
        return row == null ? null : row.get(input);
    }

    /** True if the input has a row in the state. */
    static boolean allows(EngineState state, Input input) {
        return transition(state, input) != null;
    }

    /** Every row, in the order of docs/protocol.md (for tests). */
    static List<Transition> rows() {
        return Collections.unmodifiableList(ROWS);
    }
}
