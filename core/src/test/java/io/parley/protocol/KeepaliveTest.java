package io.parley.protocol;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static io.parley.protocol.Engines.bytes;
import static io.parley.protocol.Engines.output;
import static org.assertj.core.api.Assertions.assertThat;

/** KEEPALIVE (protocol.md §9.1): four bytes that change nothing, sent only where the spec allows them. */
class KeepaliveTest {
    private static final byte[] KEEPALIVE = {(byte) 0x83, 0, 0, 0};

    @Test
    void anOpenEngineEncodesExactlyTheEmptyExtensionFrameAndStaysAsItWas() {
        for (EngineState state : new EngineState[] {EngineState.OPEN, EngineState.SEND_CLOSED,
                EngineState.RECEIVE_CLOSED, EngineState.CLOSING}) {
            ProtocolEngine engine = Engines.in(ProtocolEngine.Role.CALLER, state);
            output(engine);
            engine.sendKeepalive();
            assertThat(output(engine)).as("in %s", state).containsExactly(KEEPALIVE);
            assertThat(engine.state()).isEqualTo(state);
            assertThat(Engines.events(engine)).isEmpty();
        }
    }

    @Test
    void nothingIsSentBeforeThePreambleOrOnceClosed() {
        ProtocolEngine idle = Engines.in(ProtocolEngine.Role.CALLER, EngineState.IDLE);
        idle.sendKeepalive();
        assertThat(idle.pendingOutput()).isZero();

        ProtocolEngine awaiting = Engines.callee();
        awaiting.sendKeepalive();
        assertThat(awaiting.pendingOutput()).isZero();

        ProtocolEngine closed = Engines.in(ProtocolEngine.Role.CALLER, EngineState.OPEN);
        closed.abort(io.parley.ReasonCode.APPLICATION_ABORT, "test");
        output(closed);
        closed.sendKeepalive();
        assertThat(closed.pendingOutput()).isZero();
    }

    @Test
    void aReceiverSkipsItBetweenTheFragmentsOfAMessage() {
        ProtocolEngine receiver = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.OPEN);
        byte[] first = bytes(new Frame.Data(true, new byte[] {'a'}));
        byte[] last = bytes(new Frame.Data(false, new byte[] {'b'}));
        receiver.receive(ByteBuffer.wrap(Engines.concat(Engines.concat(first, KEEPALIVE), last)));
        assertThat(receiver.pollMessage()).containsExactly('a', 'b');
        assertThat(receiver.state()).isEqualTo(EngineState.OPEN);
        assertThat(receiver.pendingOutput()).isZero();
    }
}
