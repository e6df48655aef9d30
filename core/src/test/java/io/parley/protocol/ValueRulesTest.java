package io.parley.protocol;

import io.parley.FlowSpec;
import io.parley.Group;
import io.parley.GroupKind;
import io.parley.Qos;
import io.parley.ServiceType;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The value rules of the package: frames and events copy the arrays they are given and hand out copies, an
 * absent value is an empty Optional, and the one array handed over without a copy is a message taken with
 * {@link ProtocolEngine#pollMessage}.
 */
class ValueRulesTest {
    private static final Qos QOS = new Qos(flowSpec(1000), flowSpec(1000));

    private static FlowSpec flowSpec(long rate) {
        return new FlowSpec(rate, 100, 2000, 10, 5, ServiceType.BEST_EFFORT, 0, 1500, 64);
    }

    /** Changing the array given to {@code make}, or one {@code read} returned, leaves the value as it was. */
    private static <T> void copies(Function<byte[], T> make, Function<T, byte[]> read) {
        byte[] given = {1, 2, 3};
        T value = make.apply(given);
        given[0] = 9;
        assertThat(read.apply(value)).as("a copy of the array given").containsExactly(1, 2, 3);
        read.apply(value)[1] = 9;
        assertThat(read.apply(value)).as("each read a fresh copy").containsExactly(1, 2, 3);
        assertThat(read.apply(value)).isNotSameAs(read.apply(value));
    }

    @Nested
    class FramesCopy {
        @Test
        void everyFrameWithAnArrayCopiesItInAndOut() {
            copies(d -> new Frame.Connect(32, 16, 16, 1024, 0, Optional.empty(), Optional.empty(), d),
                    Frame.Connect::callerData);
            copies(d -> new Frame.Accept(32, 16, Optional.empty(), Optional.empty(), d), Frame.Accept::calleeData);
            copies(d -> new Frame.Reject(2, d), Frame.Reject::reasonData);
            copies(d -> new Frame.Data(false, d), Frame.Data::payload);
            copies(d -> new Frame.Disconnect(false, d), Frame.Disconnect::data);
            copies(d -> new Frame.Abort(2, d), Frame.Abort::reasonData);
        }

        @Test
        void anAbsentQosOrGroupIsAnEmptyOptionalNeverNull() {
            assertThatThrownBy(() -> new Frame.Connect(32, 16, 16, 1024, 0, null, Optional.empty(), new byte[0]))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> new Frame.Accept(32, 16, Optional.empty(), null, new byte[0]))
                    .isInstanceOf(NullPointerException.class);
        }

        @Test
        void theMagicBytesAreHandedOutAsCopies() {
            byte[] magic = WireFormat.magic();
            magic[0] = 0;
            assertThat(WireFormat.magic()).startsWith((byte) 0x8F).hasSize(WireFormat.PREAMBLE_SIZE - 2);
            assertThat(FrameEncoder.toBytes(new Frame.Preamble(1, 1))).startsWith(WireFormat.magic());
        }

        @Test
        void aDecodedFrameHoldsItsOwnCopy() throws ProtocolViolationException {
            // Caller data over one frame: the decoder joins the CONTINUATIONs and builds the frame once.
            byte[] data = new byte[WireFormat.MAX_PAYLOAD + 10];
            data[data.length - 1] = 7;
            FrameDecoder decoder = new FrameDecoder(new FrameLimits(1 << 17, 16, 16, 1024, 32));
            ByteBuffer in = ByteBuffer.wrap(Engines.bytes(new Frame.Preamble(1, 1), new Frame.Connect(32, 16, 16,
                    1024, 0, Optional.of(QOS), Optional.empty(), data)));
            assertThat(decoder.next(in)).isInstanceOf(Frame.Preamble.class);
            Frame.Connect connect = (Frame.Connect) decoder.next(in);
            assertThat(connect.callerData()).isEqualTo(data);
            assertThat(connect.qos()).contains(QOS);
            assertThat(connect.group()).isEmpty();
            connect.callerData()[data.length - 1] = 0;
            assertThat(connect.callerData()[data.length - 1]).isEqualTo((byte) 7);
        }
    }

    @Nested
    class EventsCopy {
        @Test
        void everyEventWithAnArrayCopiesItInAndOut() {
            copies(d -> new ProtocolEvent.ConnectRequested(Optional.empty(), Optional.empty(), d),
                    ProtocolEvent.ConnectRequested::callerData);
            copies(d -> new ProtocolEvent.Accepted(Optional.empty(), Optional.empty(), d),
                    ProtocolEvent.Accepted::calleeData);
            copies(ProtocolEvent.MessageReceived::new, ProtocolEvent.MessageReceived::message);
            copies(d -> new ProtocolEvent.PeerDisconnected(d, false), ProtocolEvent.PeerDisconnected::data);
        }

        @Test
        void anAbsentQosOrGroupIsAnEmptyOptionalNeverNull() {
            assertThatThrownBy(() -> new ProtocolEvent.ConnectRequested(null, Optional.empty(), new byte[0]))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> new ProtocolEvent.Accepted(Optional.empty(), null, new byte[0]))
                    .isInstanceOf(NullPointerException.class);
        }

        @Test
        void theEventsOfARequestAndItsAcceptanceCarryTheirOwnCopies() {
            Group group = new Group(GroupKind.CONSTRAINED, 0, 3);
            byte[] callerData = {1, 2};
            ProtocolEngine caller = Engines.caller();
            caller.connect(Optional.of(QOS), Optional.of(group), callerData, List.of());
            callerData[0] = 9;
            ProtocolEngine callee = Engines.callee();
            callee.receive(ByteBuffer.wrap(Engines.output(caller)));

            ProtocolEvent.ConnectRequested request = (ProtocolEvent.ConnectRequested) callee.pollEvent();
            assertThat(request.callerData()).as("encoded before the caller changed it").containsExactly(1, 2);
            assertThat(request.qos()).contains(QOS);
            assertThat(request.group()).contains(group);
            Frame.Connect held = callee.request().orElseThrow();
            held.callerData()[0] = 5;
            assertThat(callee.request().orElseThrow().callerData()).containsExactly(1, 2);

            byte[] calleeData = {3};
            callee.accept(calleeData, Optional.empty(), Optional.empty());
            calleeData[0] = 9;
            callee.forgetRequest();
            assertThat(callee.request()).as("forgotten").isEmpty();
            caller.receive(ByteBuffer.wrap(Engines.output(callee)));
            ProtocolEvent.Accepted accepted = (ProtocolEvent.Accepted) caller.pollEvent();
            assertThat(accepted.calleeData()).containsExactly(3);
            assertThat(accepted.grantedQos()).isEmpty();
            assertThat(accepted.group()).isEmpty();
        }
    }

    @Nested
    class Engine {
        @Test
        void theOutcomeIsEmptyUntilTheConnectionEnds() {
            ProtocolEngine engine = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.OPEN);
            assertThat(engine.outcome()).isEmpty();
            engine.receiveReset("gone");
            assertThat(engine.outcome()).hasValueSatisfying(o -> assertThat(o.isGraceful()).isFalse());
        }

        @Test
        void theRequestIsEmptyBeforeItArrives() {
            assertThat(Engines.callee().request()).isEmpty();
        }

        @Test
        void aNullOptionalIsRefusedBeforeAnythingIsEncoded() {
            assertRefusedUntouched(Engines::caller,
                    e -> e.connect(null, Optional.empty(), new byte[0], List.of()));
            assertRefusedUntouched(Engines::caller,
                    e -> e.connect(Optional.empty(), null, new byte[0], List.of()));
            assertRefusedUntouched(() -> Engines.in(ProtocolEngine.Role.CALLEE, EngineState.REQUESTED),
                    e -> e.accept(new byte[0], null, Optional.empty()));
            assertRefusedUntouched(() -> Engines.in(ProtocolEngine.Role.CALLEE, EngineState.REQUESTED),
                    e -> e.accept(new byte[0], Optional.empty(), null));
        }

        private void assertRefusedUntouched(Supplier<ProtocolEngine> make,
                                            java.util.function.Consumer<ProtocolEngine> command) {
            ProtocolEngine engine = make.get();
            EngineState state = engine.state();
            Engines.output(engine);
            assertThatThrownBy(() -> command.accept(engine)).isInstanceOf(NullPointerException.class);
            assertThat(engine.state()).isEqualTo(state);
            assertThat(engine.pendingOutput()).isZero();
        }

        @Test
        void pollMessageHandsTheMessageOverAndTheEngineKeepsNoReference() {
            ProtocolEngine engine = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.OPEN);
            engine.receive(ByteBuffer.wrap(Engines.bytes(new Frame.Data(false, new byte[] {1, 2}),
                    new Frame.Data(false, new byte[] {3}))));
            byte[] first = engine.pollMessage();
            first[0] = 9; // the caller's own array now: the engine does not see it
            assertThat(engine.pollMessage()).containsExactly(3);
            assertThat(first).containsExactly(9, 2);
            assertThat(engine.pollMessage()).isNull();
        }

        @Test
        void theCommandsArraysAreEncodedAndNotKept() {
            ProtocolEngine caller = Engines.in(ProtocolEngine.Role.CALLER, EngineState.OPEN);
            byte[] data = {4, 5};
            caller.sendDisconnect(data, false);
            data[0] = 0;
            ProtocolEngine callee = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.OPEN);
            callee.receive(ByteBuffer.wrap(Engines.output(caller)));
            assertThat(callee.pollEvent()).isInstanceOfSatisfying(ProtocolEvent.PeerDisconnected.class,
                    d -> assertThat(d.data()).containsExactly(4, 5));
        }

        @Test
        void theRefusalDataIsHandedOutAsCopies() {
            ProtocolEngine caller = Engines.in(ProtocolEngine.Role.CALLER, EngineState.CONNECTING);
            caller.receive(ByteBuffer.wrap(Engines.bytes(new Frame.Reject(2, new byte[] {6, 7}))));
            caller.refusalData()[0] = 0;
            assertThat(caller.refusalData()).containsExactly(6, 7);
        }
    }
}
