package io.parley.protocol;

import io.parley.FlowSpec;
import io.parley.Qos;
import io.parley.ReasonCode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two version 2 engines, joined by in-memory pipes, renegotiate QoS in any interleaving: requests from both
 * sides at any time, bytes delivered in any order relative to the commands, each request granted or refused.
 * Whatever happens, once everything sent has arrived and every request is answered both sides hold the
 * same QoS, no engine breaks the protocol, and crossing requests end with the callee's request decided and
 * the caller's refused with QOS_COLLISION (docs/protocol.md §13.1).
 */
class QosRenegotiationModelTest {
    private static final EngineConfig V2 = Engines.CONFIG.withMaxVersion(2);

    /** One side: its engine and the QoS it holds as the connection's (what its driver would police). */
    private static final class Side {
        final ProtocolEngine engine;
        Optional<Qos> qos = Optional.empty();
        /** The peer's unanswered request, as reported. */
        Qos toAnswer;
        ByteBuffer pipe = ByteBuffer.allocate(0);
        int collisions;

        Side(ProtocolEngine engine) {
            this.engine = engine;
        }

        /** Moves what the engine encoded into the pipe towards the peer. */
        void flush() {
            ByteBuffer out = engine.takeOutput();
            if (out != null) {
                ByteBuffer joined = ByteBuffer.allocate(pipe.remaining() + out.remaining());
                joined.put(pipe).put(out).flip();
                pipe = joined;
                engine.releaseOutput();
            }
        }

        /** Delivers up to {@code count} bytes of the pipe from {@code peer} to this side. */
        void receiveFrom(Side peer, int count) {
            peer.flush();
            int n = Math.min(count, peer.pipe.remaining());
            ByteBuffer part = peer.pipe.slice(peer.pipe.position(), n);
            peer.pipe.position(peer.pipe.position() + n);
            engine.receive(part);
            ProtocolEvent event;
            while ((event = engine.pollEvent()) != null) {
                switch (event) {
                    case ProtocolEvent.QosRequested r -> toAnswer = r.requested();
                    case ProtocolEvent.QosAnswered a -> {
                        if (a.granted().isPresent()) {
                            qos = a.granted();
                        } else if (a.reason() == ReasonCode.QOS_COLLISION) {
                            collisions++;
                        }
                    }
                    case ProtocolEvent.Closed c -> throw new AssertionError("the connection ended: " + c);
                    default -> {
                    }
                }
            }
        }
    }

    /** What a step of the schedule does. */
    enum Step { CALLER_ASKS, CALLEE_ASKS, CALLER_ANSWERS, CALLEE_ANSWERS, TO_CALLER, TO_CALLEE }

    @Provide
    Arbitrary<List<Step>> schedules() {
        return Arbitraries.of(Step.class).list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 500)
    void bothSidesEndWithTheSameQosWhateverTheInterleaving(@ForAll("schedules") List<Step> schedule,
                                                           @ForAll("grants") List<Boolean> grants) {
        Side caller = new Side(ProtocolEngine.caller(V2, Engines.DEADLINE));
        Side callee = new Side(ProtocolEngine.callee(V2, Engines.DEADLINE));
        caller.engine.connect(Optional.empty(), Optional.empty(), new byte[0], List.of());
        callee.receiveFrom(caller, Integer.MAX_VALUE);
        callee.engine.accept(new byte[0], Optional.empty(), Optional.empty());
        caller.receiveFrom(callee, Integer.MAX_VALUE);
        assertThat(caller.engine.version()).isEqualTo(2);

        int asked = 0;
        int answered = 0;
        for (Step step : schedule) {
            switch (step) {
                case CALLER_ASKS -> ask(caller, ++asked);
                case CALLEE_ASKS -> ask(callee, ++asked);
                case CALLER_ANSWERS -> answer(caller, grants.get(answered++ % grants.size()));
                case CALLEE_ANSWERS -> answer(callee, grants.get(answered++ % grants.size()));
                case TO_CALLER -> caller.receiveFrom(callee, 1 + asked % 97);
                case TO_CALLEE -> callee.receiveFrom(caller, 1 + asked % 89);
            }
        }
        // Let everything settle: deliver, answer what is asked, until nothing moves (bounded: each round
        // answers at least one request or delivers the pipes).
        for (int round = 0; round < 10; round++) {
            callee.receiveFrom(caller, Integer.MAX_VALUE);
            caller.receiveFrom(callee, Integer.MAX_VALUE);
            answer(caller, true);
            answer(callee, true);
        }
        callee.receiveFrom(caller, Integer.MAX_VALUE);
        caller.receiveFrom(callee, Integer.MAX_VALUE);

        assertThat(caller.toAnswer).isNull();
        assertThat(callee.toAnswer).isNull();
        assertThat(caller.qos).as("both sides hold the same QoS").isEqualTo(callee.qos);
        assertThat(callee.collisions).as("only the caller's requests are refused for a collision").isZero();
    }

    @Provide
    Arbitrary<List<Boolean>> grants() {
        return Arbitraries.of(true, false).list().ofMinSize(1).ofMaxSize(8);
    }

    /** Asks for a QoS numbered {@code n}, refused while this side's earlier request is unanswered. */
    private static void ask(Side side, int n) {
        try {
            side.engine.requestQos(new Qos(FlowSpec.bestEffort(n, 1000), FlowSpec.UNSPECIFIED));
        } catch (IllegalCommandException e) {
            assertThat(e.winsockError()).isEqualTo(io.parley.WinsockError.WSAEALREADY);
        }
    }

    private static void answer(Side side, boolean grant) {
        if (side.toAnswer == null) {
            return;
        }
        if (grant) {
            side.engine.grantQos(side.toAnswer);
            side.qos = Optional.of(side.toAnswer);
        } else {
            side.engine.refuseQos(ReasonCode.REFUSED);
        }
        side.toAnswer = null;
    }
}
