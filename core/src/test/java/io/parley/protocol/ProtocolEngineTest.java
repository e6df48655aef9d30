package io.parley.protocol;

import io.parley.CloseIndication;
import io.parley.FlowSpec;
import io.parley.Group;
import io.parley.GroupKind;
import io.parley.Qos;
import io.parley.ReasonCode;
import io.parley.ServiceType;
import io.parley.WinsockError;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.parley.protocol.Engines.PREAMBLE;
import static io.parley.protocol.Engines.bytes;
import static io.parley.protocol.Engines.events;
import static io.parley.protocol.Engines.output;
import static io.parley.protocol.Engines.outputFrames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Focused tests of the engine's documented behaviour, one rule each, citing winsock-semantics.md ids. */
class ProtocolEngineTest {
    private static final long SECOND = 1_000_000_000L;

    @Nested
    class VersionNegotiation {

        @Test
        void aCalleeAnswersAPreambleItCannotSpeakWithItsOwnAndClosesWithoutAFrame() {
            ProtocolEngine callee = Engines.callee();
            callee.receive(ByteBuffer.wrap(bytes(new Frame.Preamble(2, 3), Engines.connect())));
            assertThat(outputFrames(callee, true)).containsExactly(new Frame.Preamble(1, 1));
            assertThat(callee.state()).isEqualTo(EngineState.CLOSED);
            assertThat(callee.outcome().orElseThrow().reason()).isEqualTo(ReasonCode.VERSION_UNSUPPORTED);
            assertThat(events(callee)).containsExactly(new ProtocolEvent.Closed(callee.outcome().orElseThrow()));
        }

        @Test
        void aCallerWithNoCommonVersionIsRefusedWithProtocolNotSupported() {
            ProtocolEngine caller = Engines.in(ProtocolEngine.Role.CALLER, EngineState.IDLE);
            caller.connect(Optional.empty(), Optional.empty(), new byte[0], List.of());
            output(caller);
            caller.receive(ByteBuffer.wrap(FrameEncoder.toBytes(new Frame.Preamble(0, 0))));
            assertThat(caller.outcome().orElseThrow().kind()).isEqualTo(CloseIndication.Kind.REFUSED);
            assertThat(caller.outcome().orElseThrow().winsockError()).isEqualTo(WinsockError.WSAEPROTONOSUPPORT);
            assertThat(output(caller)).as("no frame after a version mismatch").isEmpty();
        }

        @ParameterizedTest(name = "peer speaks 0x{0}")
        @ValueSource(ints = {0x0101, 0x0001, 0x0109, 0x01FF, 0x00FF})
        void anyRangeThatIncludesVersion1IsAccepted(int range) {
            ProtocolEngine callee = Engines.callee();
            callee.receive(ByteBuffer.wrap(bytes(new Frame.Preamble(range >> 8, range & 0xFF), Engines.connect())));
            assertThat(callee.state()).isEqualTo(EngineState.REQUESTED);
        }

        @ParameterizedTest(name = "peer speaks 0x{0}")
        @ValueSource(ints = {0x0000, 0x0202, 0x02FF, 0x0100 /* min above max */, 0xFF01})
        void aRangeWithoutVersion1IsRefused(int range) {
            ProtocolEngine callee = Engines.callee();
            callee.receive(ByteBuffer.wrap(FrameEncoder.toBytes(new Frame.Preamble(range >> 8, range & 0xFF))));
            assertThat(callee.outcome().orElseThrow().reason()).isEqualTo(ReasonCode.VERSION_UNSUPPORTED);
        }
    }

    @Nested
    class NotParley {

        @ParameterizedTest(name = "wrong byte at index {0}")
        @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
        void aForeignStreamIsDetectedAtItsFirstWrongByteAndClosedWithoutAFrame(int wrongAt) {
            for (ProtocolEngine.Role role : ProtocolEngine.Role.values()) {
                ProtocolEngine engine = role == ProtocolEngine.Role.CALLER ? Engines.caller() : Engines.callee();
                if (role == ProtocolEngine.Role.CALLER) {
                    engine.connect(Optional.empty(), Optional.empty(), new byte[0], List.of());
                    output(engine);
                }
                byte[] stream = PREAMBLE.clone();
                stream[wrongAt] ^= 0x20;
                for (int i = 0; i < wrongAt; i++) {
                    engine.receive(ByteBuffer.wrap(stream, i, 1));
                    assertThat(engine.state()).as("%s after byte %d", role, i).isNotEqualTo(EngineState.CLOSED);
                }
                engine.receive(ByteBuffer.wrap(stream, wrongAt, 1));
                assertThat(engine.outcome()).isPresent();
                assertThat(engine.outcome().orElseThrow().reason()).isEqualTo(ReasonCode.NOT_PARLEY);
                assertThat(output(engine)).as("%s sends nothing to a foreign peer", role).isEmpty();
            }
        }

        @Test
        void anHttpRequestIsRefusedAtTheFirstByte() {
            ProtocolEngine callee = Engines.callee();
            callee.receive(ByteBuffer.wrap("G".getBytes(StandardCharsets.US_ASCII)));
            assertThat(callee.outcome().orElseThrow().reason()).isEqualTo(ReasonCode.NOT_PARLEY);
        }
    }

    @Nested
    class Deferral {

        private ProtocolEngine requested() {
            return Engines.in(ProtocolEngine.Role.CALLEE, EngineState.REQUESTED);
        }

        @Test
        void deferringTwiceWithinASecondSendsOnePending() {
            ProtocolEngine callee = requested();
            callee.defer(5 * SECOND);
            callee.defer(5 * SECOND + SECOND / 2);
            assertThat(outputFrames(callee, false)).containsExactly(new Frame.Pending());
            assertThat(callee.state()).as("A5: the request stays held").isEqualTo(EngineState.REQUESTED);
        }

        @Test
        void aSecondPendingGoesOutOneSecondAfterTheFirstAndNotANanosecondEarlier() {
            ProtocolEngine callee = requested();
            callee.defer(-3 * SECOND); // nanoTime values may be negative
            output(callee);
            callee.defer(-2 * SECOND - 1);
            assertThat(output(callee)).isEmpty();
            callee.defer(-2 * SECOND);
            assertThat(outputFrames(callee, false)).containsExactly(new Frame.Pending());
        }

        @Test
        void aDeferredRequestRepeatsItsPendingEverySecondUntilItIsDecided() {
            ProtocolEngine callee = requested();
            assertThat(callee.deadline()).as("not deferred: no deadline").isEqualTo(Long.MAX_VALUE);
            callee.defer(5 * SECOND);
            output(callee);
            for (int i = 1; i <= 3; i++) {
                assertThat(callee.deadline()).isEqualTo((5 + i) * SECOND);
                callee.handleTimeout((5 + i) * SECOND - 1);
                assertThat(output(callee)).isEmpty();
                callee.handleTimeout((5 + i) * SECOND);
                assertThat(outputFrames(callee, false)).containsExactly(new Frame.Pending());
            }
            callee.accept(new byte[0], Optional.empty(), Optional.empty());
            assertThat(callee.deadline()).as("decided: no more PENDING").isEqualTo(Long.MAX_VALUE);
        }

        @Test
        void aDeferredCallerKeepsWaitingUntilItsOwnDeadline() {
            ProtocolEngine caller = Engines.in(ProtocolEngine.Role.CALLER, EngineState.CONNECTING);
            for (int i = 0; i < 5; i++) {
                caller.receive(ByteBuffer.wrap(bytes(new Frame.Pending())));
            }
            assertThat(events(caller)).hasSize(5).allMatch(e -> e instanceof ProtocolEvent.Deferred);
            assertThat(caller.deadline()).isEqualTo(Engines.DEADLINE);
            caller.handleTimeout(Engines.DEADLINE - 1);
            assertThat(caller.state()).isEqualTo(EngineState.CONNECTING);
        }
    }

    @Nested
    class HandshakeTimeout {

        @Test
        void aCallerWithdrawsItsRequestAtTheDeadline() {
            ProtocolEngine caller = Engines.in(ProtocolEngine.Role.CALLER, EngineState.CONNECTING);
            caller.handleTimeout(Engines.DEADLINE);
            assertThat(outputFrames(caller, false)).singleElement().isInstanceOfSatisfying(Frame.Abort.class,
                    a -> assertThat(a.reason()).isEqualTo(ReasonCode.WITHDRAWN));
            assertThat(caller.outcome().orElseThrow().reason()).isEqualTo(ReasonCode.TIMED_OUT);
            assertThat(caller.outcome().orElseThrow().winsockError()).as("C3").isEqualTo(WinsockError.WSAETIMEDOUT);
        }

        @Test
        void aCalleeWithoutARequestByTheDeadlineAbortsWithTimedOut() {
            ProtocolEngine callee = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.AWAITING_REQUEST);
            callee.handleTimeout(Engines.DEADLINE - 1);
            assertThat(callee.state()).isEqualTo(EngineState.AWAITING_REQUEST);
            callee.handleTimeout(Engines.DEADLINE);
            assertThat(outputFrames(callee, false)).singleElement().isInstanceOfSatisfying(Frame.Abort.class,
                    a -> assertThat(a.reason()).isEqualTo(ReasonCode.TIMED_OUT));
            assertThat(callee.outcome().orElseThrow().winsockError()).isEqualTo(WinsockError.WSAETIMEDOUT);
        }

        @Test
        void aCalleeThatHeardNothingSendsItsPreambleBeforeTheAbort() {
            ProtocolEngine callee = Engines.callee();
            callee.handleTimeout(Engines.DEADLINE);
            List<Frame> frames = outputFrames(callee, true);
            assertThat(frames).hasSize(2);
            assertThat(frames.getFirst()).isEqualTo(new Frame.Preamble(1, 1));
            assertThat(frames.getLast()).isInstanceOf(Frame.Abort.class);
        }

        @Test
        void aHeldRequestHasNoEngineDeadline() {
            ProtocolEngine callee = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.REQUESTED);
            assertThat(callee.deadline()).isEqualTo(Long.MAX_VALUE);
            callee.handleTimeout(Long.MAX_VALUE - 1);
            assertThat(callee.state()).isEqualTo(EngineState.REQUESTED);
        }

        @Test
        void anOpenConnectionHasNoDeadline() {
            ProtocolEngine caller = Engines.in(ProtocolEngine.Role.CALLER, EngineState.OPEN);
            assertThat(caller.deadline()).isEqualTo(Long.MAX_VALUE);
        }
    }

    @Nested
    class QualityOfService {
        private final Qos requested = bestEffort(1000, 1000);

        private ProtocolEngine requestedWithQos(Qos qos) {
            ProtocolEngine callee = Engines.callee();
            callee.receive(ByteBuffer.wrap(bytes(new Frame.Preamble(1, 1),
                    new Frame.Connect(32, 16, 16, 1024, 0, Optional.ofNullable(qos), Optional.empty(), new byte[0]))));
            output(callee);
            events(callee);
            return callee;
        }

        @Test
        void aGrantedQosHigherThanRequestedIsInvalidAndNothingIsSent() {
            ProtocolEngine callee = requestedWithQos(requested);
            assertThatThrownBy(() -> callee.accept(new byte[0], Optional.of(bestEffort(1001, 1000)), Optional.empty()))
                    .isInstanceOfSatisfying(IllegalCommandException.class,
                            e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAEINVAL));
            assertThat(callee.state()).isEqualTo(EngineState.REQUESTED);
            assertThat(output(callee)).isEmpty();
        }

        @Test
        void aQosGrantedWithoutARequestIsInvalid() {
            ProtocolEngine callee = requestedWithQos(null);
            assertThatThrownBy(() -> callee.accept(new byte[0], Optional.of(requested), Optional.empty()))
                    .isInstanceOfSatisfying(IllegalCommandException.class,
                            e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAEINVAL));
        }

        @Test
        void aLowerGrantReachesTheCallerAsGranted() {
            ProtocolEngine callee = requestedWithQos(requested);
            Qos lower = bestEffort(500, 1000);
            callee.accept(new byte[0], Optional.of(lower), Optional.empty());
            ProtocolEngine caller = Engines.caller();
            caller.connect(Optional.of(requested), Optional.empty(), new byte[0], List.of());
            output(caller);
            caller.receive(ByteBuffer.wrap(Engines.concat(PREAMBLE, output(callee))));
            assertThat(events(caller)).singleElement().isInstanceOfSatisfying(ProtocolEvent.Accepted.class,
                    a -> assertThat(a.grantedQos()).contains(lower));
        }

        @Test
        void aCallerAbortsAnAcceptanceThatGrantsMoreThanItAskedFor() {
            ProtocolEngine caller = Engines.caller();
            caller.connect(Optional.of(requested), Optional.empty(), new byte[0], List.of());
            output(caller);
            caller.receive(ByteBuffer.wrap(bytes(new Frame.Preamble(1, 1),
                    new Frame.Accept(32, 16, Optional.of(bestEffort(1000, 1001)), Optional.empty(), new byte[0]))));
            assertThat(caller.outcome().orElseThrow().reason()).isEqualTo(ReasonCode.PROTOCOL_VIOLATION);
            assertThat(outputFrames(caller, false)).singleElement().isInstanceOf(Frame.Abort.class);
        }

        @Test
        void qosAndGroupTravelInTheRequest() {
            ProtocolEngine caller = Engines.caller();
            Group group = new Group(GroupKind.CONSTRAINED, 0, 3);
            caller.connect(Optional.of(requested), Optional.of(group), new byte[] {7}, List.of());
            ProtocolEngine callee = Engines.callee();
            callee.receive(ByteBuffer.wrap(output(caller)));
            ProtocolEvent.ConnectRequested request = (ProtocolEvent.ConnectRequested) events(callee).getFirst();
            assertThat(request.qos()).contains(requested);
            assertThat(request.group()).contains(group);
            assertThat(request.callerData()).containsExactly(7);
        }

        private static Qos bestEffort(long rate, long bucket) {
            FlowSpec spec = new FlowSpec(rate, bucket, FlowSpec.NOT_SPECIFIED, FlowSpec.NOT_SPECIFIED,
                    FlowSpec.NOT_SPECIFIED, ServiceType.BEST_EFFORT, 0, FlowSpec.NOT_SPECIFIED, FlowSpec.NOT_SPECIFIED);
            return new Qos(spec, spec);
        }
    }

    @Nested
    class PeerLimits {

        private void assertMessageSize(Runnable command, ProtocolEngine engine) {
            EngineState state = engine.state();
            assertThatThrownBy(command::run).isInstanceOfSatisfying(IllegalCommandException.class,
                    e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAEMSGSIZE));
            assertThat(engine.pendingOutput()).as("nothing encoded").isZero();
            assertThat(engine.state()).isEqualTo(state);
        }

        @Test
        void aMessageOverThePeersLimitFailsBeforeAnythingIsEncoded() {
            ProtocolEngine caller = Engines.in(ProtocolEngine.Role.CALLER, EngineState.OPEN);
            ByteBuffer message = ByteBuffer.allocate(33);
            assertMessageSize(() -> caller.send(message), caller);
            assertThat(message.remaining()).isEqualTo(33);
            caller.send(ByteBuffer.allocate(32));
            assertThat(outputFrames(caller, false)).as("MESSAGE_SIZE and four fragments").hasSize(5);
        }

        @Test
        void disconnectDataOverThePeersLimitFailsBeforeAnythingIsEncoded() {
            ProtocolEngine callee = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.OPEN);
            assertMessageSize(() -> callee.sendDisconnect(new byte[17], false), callee);
        }

        @Test
        void calleeDataOverTheCallersLimitFailsAndTheRequestStaysUndecided() {
            ProtocolEngine callee = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.REQUESTED);
            assertMessageSize(() -> callee.accept(new byte[17], Optional.empty(), Optional.empty()), callee);
            callee.accept(new byte[16], Optional.empty(), Optional.empty());
            assertThat(callee.state()).isEqualTo(EngineState.OPEN);
        }

        @Test
        void rejectReasonDataOverTheCallersAdvertisedLimitFailsAndAtTheLimitIsSent() {
            ProtocolEngine callee = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.REQUESTED);
            int limit = callee.peerMaxReasonData();
            assertMessageSize(() -> callee.reject(ReasonCode.REFUSED, new byte[limit + 1]), callee);
            callee.reject(ReasonCode.REFUSED, new byte[limit]);
            assertThat(outputFrames(callee, false)).singleElement().isInstanceOfSatisfying(Frame.Reject.class,
                    r -> assertThat(r.reasonData()).hasSize(limit));
        }

        @Test
        void aLocalOnlyRejectReasonIsInvalid() {
            ProtocolEngine callee = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.REQUESTED);
            assertThatThrownBy(() -> callee.reject(ReasonCode.VERSION_UNSUPPORTED, new byte[0]))
                    .isInstanceOfSatisfying(IllegalCommandException.class,
                            e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAEINVAL));
            assertThat(callee.state()).isEqualTo(EngineState.REQUESTED);
        }

        @Test
        void callerDataOverTheProtocolMaximumFailsBeforeThePreambleIsEncoded() {
            ProtocolEngine caller = Engines.caller();
            assertMessageSize(() -> caller.connect(Optional.empty(), Optional.empty(), new byte[WireFormat.MAX_USER_DATA + 1], List.of()), caller);
            caller.connect(Optional.empty(), Optional.empty(), new byte[WireFormat.MAX_USER_DATA], List.of());
            assertThat(outputFrames(caller, true)).hasSize(2);
        }

        @Test
        void aPeerLimitAtTheProtocolMaximumAllowsExactlyIt() {
            ProtocolEngine callee = Engines.callee();
            callee.receive(ByteBuffer.wrap(bytes(new Frame.Preamble(1, 1), new Frame.Connect(1 << 20,
                    WireFormat.MAX_USER_DATA, WireFormat.MAX_USER_DATA, 1024, 0, Optional.empty(), Optional.empty(), new byte[0]))));
            output(callee);
            assertMessageSize(() -> callee.accept(new byte[WireFormat.MAX_USER_DATA + 1], Optional.empty(), Optional.empty()), callee);
            callee.accept(new byte[WireFormat.MAX_USER_DATA], Optional.empty(), Optional.empty());
            output(callee);
            assertMessageSize(() -> callee.sendDisconnect(new byte[WireFormat.MAX_USER_DATA + 1], false), callee);
        }

        @Test
        void callerDataOverTheCalleesLimitIsRejectedWithDataTooLarge() {
            ProtocolEngine callee = Engines.callee();
            callee.receive(ByteBuffer.wrap(bytes(new Frame.Preamble(1, 1),
                    new Frame.Connect(32, 16, 16, 1024, 0, Optional.empty(), Optional.empty(), new byte[17]))));
            List<Frame> sent = outputFrames(callee, true);
            assertThat(sent.getLast()).isInstanceOfSatisfying(Frame.Reject.class,
                    r -> assertThat(r.reason()).isEqualTo(ReasonCode.DATA_TOO_LARGE));
            assertThat(events(callee)).singleElement().isInstanceOf(ProtocolEvent.Closed.class);
        }
    }

    /** Early messages: declared in CONNECT, sent before the answer, held by the callee with the request (4.6). */
    @Nested
    class EarlyMessages {

        private static Frame.Data data(String text) {
            return new Frame.Data(false, text.getBytes(StandardCharsets.US_ASCII));
        }

        private static byte[] messageOf(ProtocolEvent event) {
            return ((ProtocolEvent.MessageReceived) event).message();
        }

        @Test
        void aCallersEarlyMessagesFollowItsConnectAndReachTheCalleeAfterTheRequestInOrder() {
            ProtocolEngine caller = Engines.caller();
            caller.connect(Optional.empty(), Optional.empty(), "hi".getBytes(StandardCharsets.US_ASCII),
                    List.of("get".getBytes(StandardCharsets.US_ASCII), new byte[9])); // 2 + (3 + 4) + (9 + 4) = 22
            byte[] request = output(caller);
            assertThat(Engines.frames(request)).extracting(Frame::type).containsExactly(
                    FrameType.PREAMBLE, FrameType.CONNECT, FrameType.DATA, FrameType.MESSAGE_SIZE, FrameType.DATA,
                    FrameType.DATA);
            assertThat(((Frame.Connect) Engines.frames(request).get(1)).earlyLength()).as("declared").isEqualTo(20);
            assertThat(caller.state()).isEqualTo(EngineState.CONNECTING);

            ProtocolEngine callee = ProtocolEngine.callee(new EngineConfig(new FrameLimits(22, 16, 16, 1024, 32), 8), 0);
            callee.receive(ByteBuffer.wrap(request));
            List<ProtocolEvent> events = events(callee);
            assertThat(events).hasSize(3);
            assertThat(events.getFirst()).isInstanceOf(ProtocolEvent.ConnectRequested.class);
            assertThat(messageOf(events.get(1))).asString(StandardCharsets.US_ASCII).isEqualTo("get");
            assertThat(messageOf(events.get(2))).hasSize(9);
            assertThat(callee.state()).isEqualTo(EngineState.REQUESTED);
        }

        @Test
        void callerDataAndEarlyMessagesOverTheProtocolMaximumFailTheConnectBeforeAnythingIsEncoded() {
            ProtocolEngine caller = Engines.caller();
            // The one-byte early message costs 5: 4 less than the maximum leaves room for 4.
            assertThatThrownBy(() -> caller.connect(Optional.empty(), Optional.empty(), new byte[WireFormat.MAX_USER_DATA - 4],
                    List.of(new byte[1]))).isInstanceOfSatisfying(IllegalCommandException.class,
                    e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAEMSGSIZE));
            assertThat(caller.pendingOutput()).as("the refused connect encoded nothing").isZero();
            assertThat(caller.state()).isEqualTo(EngineState.IDLE);
            caller.connect(Optional.empty(), Optional.empty(), new byte[WireFormat.MAX_USER_DATA - 5], List.of(new byte[1]));
            assertThat(caller.state()).isEqualTo(EngineState.CONNECTING);
        }

        @Test
        void aSendWhileConnectingIsRefusedAndOnceAcceptedSendsGoByTheCalleesLimit() {
            ProtocolEngine caller = Engines.in(ProtocolEngine.Role.CALLER, EngineState.CONNECTING);
            caller.receive(ByteBuffer.wrap(bytes(new Frame.Pending())));
            assertThatThrownBy(() -> caller.send(ByteBuffer.allocate(1)))
                    .isInstanceOfSatisfying(IllegalCommandException.class,
                            e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAENOTCONN));
            assertThat(output(caller)).as("early messages go with the connect, nothing else").isEmpty();
            caller.receive(ByteBuffer.wrap(bytes(Engines.accept())));
            assertThatThrownBy(() -> caller.send(ByteBuffer.allocate(33)))
                    .isInstanceOfSatisfying(IllegalCommandException.class,
                            e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAEMSGSIZE));
        }

        private ProtocolEngine requestedDeclaring(int callerData, long early) {
            ProtocolEngine callee = Engines.callee();
            callee.receive(ByteBuffer.wrap(bytes(new Frame.Preamble(1, 1),
                    new Frame.Connect(32, 16, 16, 1024, early, Optional.empty(), Optional.empty(), new byte[callerData]))));
            return callee;
        }

        @Test
        void aCalleeRefusesAtTheConnectWhenCallerDataAndTheDeclaredEarlyLengthExceedItsLimit() {
            ProtocolEngine callee = requestedDeclaring(4, 13); // 17 > 16
            assertThat(callee.outcome().orElseThrow().reason()).isEqualTo(ReasonCode.DATA_TOO_LARGE);
            assertThat(outputFrames(callee, true).getLast()).isInstanceOfSatisfying(Frame.Reject.class,
                    r -> assertThat(r.reason()).isEqualTo(ReasonCode.DATA_TOO_LARGE));
            assertThat(requestedDeclaring(4, 12).state()).as("16 fits exactly").isEqualTo(EngineState.REQUESTED);
        }

        @Test
        void earlyMessagesBeyondTheDeclaredLengthAreAViolationAtTheDataHeader() {
            ProtocolEngine callee = requestedDeclaring(4, 12);
            callee.receive(ByteBuffer.wrap(bytes(data("abcd"), data(""))));
            assertThat(events(callee)).hasSize(3);
            output(callee);
            assertThat(callee.state()).isEqualTo(EngineState.REQUESTED);
            byte[] over = bytes(data("x"));
            callee.receive(ByteBuffer.wrap(over, 0, WireFormat.HEADER_SIZE));
            assertThat(callee.outcome().orElseThrow().kind()).as("detected at the header").isEqualTo(CloseIndication.Kind.ABORTED);
            assertThat(callee.outcome().orElseThrow().reason()).isEqualTo(ReasonCode.PROTOCOL_VIOLATION);
            assertThat(outputFrames(callee, false)).singleElement().isInstanceOfSatisfying(Frame.Abort.class,
                    a -> assertThat(a.reason()).isEqualTo(ReasonCode.PROTOCOL_VIOLATION));
        }

        @Test
        void anEmptyEarlyMessageCostsFourAndIsDeliveredEvenAsTheLastBytesOfARead() {
            ProtocolEngine callee = requestedDeclaring(0, 4);
            callee.receive(ByteBuffer.wrap(bytes(data(""))));
            List<ProtocolEvent> events = events(callee);
            assertThat(events).hasSize(2);
            assertThat(messageOf(events.getLast())).isEmpty();
        }

        @Test
        void anAnnouncedEarlyMessageBeyondTheDeclaredLengthIsAViolationAtItsMessageSize() {
            ProtocolEngine callee = requestedDeclaring(0, 16);
            callee.receive(ByteBuffer.wrap(bytes(new Frame.MessageSize(13))));
            assertThat(callee.outcome().orElseThrow().reason()).isEqualTo(ReasonCode.PROTOCOL_VIOLATION);
            assertThat(outputFrames(callee, true).getLast()).isInstanceOf(Frame.Abort.class);
        }

        @Test
        void anEarlyMessageOverTheCalleesMaxMessageSizeIsRefusedNotAViolation() {
            ProtocolEngine callee = ProtocolEngine.callee(new EngineConfig(new FrameLimits(64, 16, 16, 1024, 8), 8), 0);
            callee.receive(ByteBuffer.wrap(bytes(new Frame.Preamble(1, 1), Engines.connect(), data("123456789"))));
            assertThat(callee.outcome().orElseThrow().kind()).isEqualTo(CloseIndication.Kind.ABORTED);
            assertThat(callee.outcome().orElseThrow().reason()).isEqualTo(ReasonCode.MESSAGE_TOO_LARGE);
            assertThat(outputFrames(callee, true).getLast()).isInstanceOfSatisfying(Frame.Reject.class,
                    r -> assertThat(r.reason()).isEqualTo(ReasonCode.MESSAGE_TOO_LARGE));
        }

        @Test
        void deferralKeepsTheBudgetAndAcceptingEndsIt() {
            ProtocolEngine callee = requestedDeclaring(0, 16);
            callee.defer(0);
            callee.receive(ByteBuffer.wrap(bytes(data("twelve bytes"))));
            assertThat(callee.state()).isEqualTo(EngineState.REQUESTED);
            callee.accept(new byte[0], Optional.empty(), Optional.empty());
            callee.receive(ByteBuffer.wrap(bytes(data("twelve bytes"), data("twelve bytes"))));
            assertThat(callee.state()).isEqualTo(EngineState.OPEN);
            assertThat(events(callee)).hasSize(4);
        }
    }

    @Nested
    class Messages {

        @ParameterizedTest(name = "{0} bytes")
        @ValueSource(ints = {0, 1, 7, 8, 9, 16, 17, 32})
        void aMessageIsSentInFragmentsOfTheConfiguredSize(int size) {
            ProtocolEngine caller = Engines.in(ProtocolEngine.Role.CALLER, EngineState.OPEN);
            caller.send(ByteBuffer.allocate(size));
            List<Frame> frames = new ArrayList<>(outputFrames(caller, false));
            int expected = Math.max(1, (size + 7) / 8);
            if (expected > 1) {
                assertThat(frames.removeFirst()).as("a message of several fragments is announced")
                        .isEqualTo(new Frame.MessageSize(size));
            }
            assertThat(frames).hasSize(expected);
            for (int i = 0; i < expected; i++) {
                Frame.Data data = (Frame.Data) frames.get(i);
                assertThat(data.more()).isEqualTo(i < expected - 1);
                assertThat(data.payload().length).isLessThanOrEqualTo(8);
            }
        }

        @Test
        void aMessageInOneByteAndEmptyFragmentsArrivesWhole() {
            ProtocolEngine callee = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.OPEN);
            byte[] stream = bytes(new Frame.Data(true, new byte[0]), new Frame.Data(true, new byte[] {'a'}),
                    new Frame.Data(true, new byte[0]), new Frame.Data(true, new byte[] {'b'}),
                    new Frame.Data(false, new byte[0]));
            callee.receive(ByteBuffer.wrap(stream));
            assertThat(events(callee)).singleElement().isInstanceOfSatisfying(ProtocolEvent.MessageReceived.class,
                    m -> assertThat(m.message()).containsExactly('a', 'b'));
        }

        @Test
        void outputProducedWhileABatchIsTakenComesInTheNextBatchInOrder() {
            ProtocolEngine caller = Engines.in(ProtocolEngine.Role.CALLER, EngineState.OPEN);
            caller.send(ByteBuffer.wrap(new byte[] {1}));
            ByteBuffer first = caller.takeOutput();
            caller.send(ByteBuffer.wrap(new byte[] {2}));
            assertThat(caller.takeOutput()).as("one batch at a time").isNull();
            byte[] firstBytes = new byte[first.remaining()];
            first.get(firstBytes);
            caller.releaseOutput();
            assertThat(firstBytes).isEqualTo(bytes(new Frame.Data(false, new byte[] {1})));
            assertThat(output(caller)).isEqualTo(bytes(new Frame.Data(false, new byte[] {2})));
        }
    }

    @Nested
    class OutputBuffers {
        @Test
        void aFreshEngineHasNoOutputAndReleasingWithoutATakeIsHarmless() {
            ProtocolEngine caller = Engines.caller();
            assertThat(caller.pendingOutput()).isZero();
            assertThat(caller.takeOutput()).isNull();
            caller.releaseOutput();
            caller.connect(Optional.empty(), Optional.empty(), new byte[0], List.of());
            assertThat(outputFrames(caller, true)).hasSize(2);
        }

        @Test
        void theReleasedBatchsBufferTakesTheNextOutputWhenNothingWasEncodedMeanwhile() {
            ProtocolEngine caller = Engines.in(ProtocolEngine.Role.CALLER, EngineState.OPEN);
            caller.send(ByteBuffer.wrap(new byte[] {1}));
            ByteBuffer first = caller.takeOutput();
            caller.releaseOutput();
            caller.send(ByteBuffer.wrap(new byte[] {2}));
            ByteBuffer second = caller.takeOutput();
            assertThat(second).as("the same buffer (and view) again").isSameAs(first);
            byte[] bytes = new byte[second.remaining()];
            second.get(bytes);
            caller.releaseOutput();
            assertThat(bytes).isEqualTo(bytes(new Frame.Data(false, new byte[] {2})));
        }

        @Test
        void afterOutputWasEncodedDuringATakeBatchesAlternateInOrder() {
            ProtocolEngine caller = Engines.in(ProtocolEngine.Role.CALLER, EngineState.OPEN);
            caller.send(ByteBuffer.wrap(new byte[] {0}));
            ByteBuffer taken = caller.takeOutput();
            for (byte i = 1; i < 6; i++) {
                caller.send(ByteBuffer.wrap(new byte[] {i}));
                byte[] bytes = new byte[taken.remaining()];
                taken.get(bytes);
                caller.releaseOutput();
                assertThat(bytes).isEqualTo(bytes(new Frame.Data(false, new byte[] {(byte) (i - 1)})));
                taken = caller.takeOutput();
            }
            caller.releaseOutput();
            assertThat(caller.takeOutput()).isNull();
        }
    }

    @Nested
    class Request {
        @Test
        void theRequestIsHeldUntilForgottenAfterTheDecision() {
            ProtocolEngine callee = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.REQUESTED);
            assertThatThrownBy(callee::forgetRequest).isInstanceOf(IllegalStateException.class);
            callee.accept(new byte[0], Optional.empty(), Optional.empty());
            assertThat(callee.request()).as("still readable after accepting").isPresent();
            callee.forgetRequest();
            assertThat(callee.request()).isEmpty();
            assertThat(callee.state()).isEqualTo(EngineState.OPEN);
        }
    }

    @Nested
    class Teardown {

        private static final Frame.DisconnectAck ACK = new Frame.DisconnectAck();

        @Test
        void aPeerThatClosedRefusesMessagesButTheLocalDisconnectStillEndsGracefullyOnceAcknowledged() {
            ProtocolEngine callee = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.OPEN);
            callee.receive(ByteBuffer.wrap(bytes(new Frame.Disconnect(true, new byte[0]))));
            assertThat(callee.isPeerClosed()).isTrue();
            assertThatThrownBy(() -> callee.send(ByteBuffer.allocate(1)))
                    .isInstanceOfSatisfying(IllegalCommandException.class,
                            e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAESHUTDOWN));
            callee.sendDisconnect(new byte[0], false);
            assertThat(callee.state()).isEqualTo(EngineState.CLOSING);
            assertThat(callee.outcome()).as("not before the acknowledgement").isEmpty();
            callee.receive(ByteBuffer.wrap(bytes(ACK)));
            assertThat(callee.outcome()).contains(CloseIndication.GRACEFUL);
        }

        @Test
        void everyDisconnectIsAcknowledgedAtOnceAndExactlyOnce() {
            ProtocolEngine open = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.OPEN);
            open.receive(ByteBuffer.wrap(bytes(new Frame.Disconnect(false, new byte[] {7}))));
            assertThat(outputFrames(open, false)).containsExactly(ACK);
            assertThat(open.state()).isEqualTo(EngineState.RECEIVE_CLOSED);
            open.sendDisconnect(new byte[0], true);
            assertThat(outputFrames(open, false)).as("no second acknowledgement; no CLOSED after the peer's")
                    .singleElement().isInstanceOfSatisfying(Frame.Disconnect.class,
                            d -> assertThat(d.closed()).isFalse());
        }

        @Test
        void theFirstToDisconnectIsConfirmedByTheAckAndEndsGracefullyWithThePeersDisconnect() {
            ProtocolEngine caller = Engines.in(ProtocolEngine.Role.CALLER, EngineState.SEND_CLOSED);
            assertThat(caller.isDisconnectAcknowledged()).isFalse();
            caller.receive(ByteBuffer.wrap(bytes(ACK)));
            assertThat(caller.state()).isEqualTo(EngineState.SEND_CONFIRMED);
            assertThat(caller.isDisconnectAcknowledged()).isTrue();
            caller.receive(ByteBuffer.wrap(bytes(new Frame.Data(false, new byte[] {1}),
                    new Frame.Disconnect(false, new byte[] {2}))));
            assertThat(caller.pollMessage()).as("messages still arrive").containsExactly(1);
            assertThat(outputFrames(caller, false)).containsExactly(ACK);
            assertThat(caller.outcome()).contains(CloseIndication.GRACEFUL);
        }

        @Test
        void crossingDisconnectsEachWaitForTheOthersAcknowledgement() {
            ProtocolEngine caller = Engines.in(ProtocolEngine.Role.CALLER, EngineState.SEND_CLOSED);
            caller.receive(ByteBuffer.wrap(bytes(new Frame.Disconnect(false, new byte[0]))));
            assertThat(caller.state()).isEqualTo(EngineState.CLOSING);
            assertThat(outputFrames(caller, false)).containsExactly(ACK);
            assertThat(caller.isOutputComplete()).isTrue();
            caller.receive(ByteBuffer.wrap(bytes(ACK)));
            assertThat(caller.outcome()).contains(CloseIndication.GRACEFUL);
        }

        @Test
        void theLastToDisconnectIsUnconfirmedWhenTheTransportEndsBeforeTheAcknowledgement() {
            ProtocolEngine ended = closing();
            ended.receiveEndOfStream();
            assertThat(ended.outcome().orElseThrow().kind()).isEqualTo(CloseIndication.Kind.UNCONFIRMED);
            assertThat(ended.outcome().orElseThrow().reason()).isEqualTo(ReasonCode.TRANSPORT_CLOSED);
            assertThat(ended.outcome().orElseThrow().winsockError()).isEqualTo(WinsockError.WSAECONNABORTED);
            ProtocolEngine reset = closing();
            reset.receiveReset("RST");
            assertThat(reset.outcome().orElseThrow().kind()).isEqualTo(CloseIndication.Kind.UNCONFIRMED);
            assertThat(reset.outcome().orElseThrow().winsockError()).isEqualTo(WinsockError.WSAECONNRESET);
            ProtocolEngine aborted = closing();
            aborted.abort(ReasonCode.TIMED_OUT, "linger passed");
            assertThat(aborted.outcome().orElseThrow().kind()).isEqualTo(CloseIndication.Kind.UNCONFIRMED);
            assertThat(aborted.outcome().orElseThrow().winsockError()).isEqualTo(WinsockError.WSAETIMEDOUT);
            assertThat(outputFrames(aborted, false)).singleElement().isInstanceOf(Frame.Abort.class);
        }

        private ProtocolEngine closing() {
            ProtocolEngine callee = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.RECEIVE_CLOSED);
            callee.sendDisconnect(new byte[] {9}, false);
            output(callee);
            assertThat(callee.state()).isEqualTo(EngineState.CLOSING);
            return callee;
        }

        @Test
        void anEndOfStreamBeforeThePeerAcknowledgedThisSidesFutureDisconnectIsAnAbort() {
            ProtocolEngine callee = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.RECEIVE_CLOSED);
            callee.receiveEndOfStream();
            assertThat(callee.outcome().orElseThrow().kind()).isEqualTo(CloseIndication.Kind.ABORTED);
            assertThat(callee.outcome().orElseThrow().reason()).isEqualTo(ReasonCode.TRANSPORT_CLOSED);
        }

        @Test
        void anAcknowledgementOfNoDisconnectOrASecondOneIsAViolation() {
            ProtocolEngine open = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.OPEN);
            open.receive(ByteBuffer.wrap(bytes(ACK)));
            assertThat(open.outcome().orElseThrow().reason()).isEqualTo(ReasonCode.PROTOCOL_VIOLATION);
            ProtocolEngine confirmed = Engines.in(ProtocolEngine.Role.CALLER, EngineState.SEND_CLOSED);
            confirmed.receive(ByteBuffer.wrap(bytes(ACK, ACK)));
            assertThat(confirmed.outcome().orElseThrow().reason()).isEqualTo(ReasonCode.PROTOCOL_VIOLATION);
        }

        @Test
        void anEndOfStreamInTheMiddleOfAFrameIsAnAbortNotAGracefulEnd() {
            ProtocolEngine callee = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.SEND_CLOSED);
            byte[] disconnect = bytes(new Frame.Disconnect(false, new byte[] {1, 2}));
            callee.receive(ByteBuffer.wrap(disconnect, 0, disconnect.length - 1));
            callee.receiveEndOfStream();
            assertThat(callee.outcome().orElseThrow().kind()).isEqualTo(CloseIndication.Kind.ABORTED);
            assertThat(callee.outcome().orElseThrow().reason()).isEqualTo(ReasonCode.TRANSPORT_CLOSED);
            assertThat(callee.outcome().orElseThrow().winsockError()).as("E2").isEqualTo(WinsockError.WSAECONNABORTED);
        }

        @Test
        void aResetAfterThePeersDisconnectIsStillAReset() {
            ProtocolEngine callee = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.RECEIVE_CLOSED);
            callee.receiveReset("RST");
            assertThat(callee.outcome().orElseThrow().kind()).isEqualTo(CloseIndication.Kind.RESET);
            assertThat(callee.outcome().orElseThrow().winsockError()).as("E2, L2").isEqualTo(WinsockError.WSAECONNRESET);
        }

        @Test
        void aPeersAbortIsAResetWithItsReasonAndText() {
            ProtocolEngine caller = Engines.in(ProtocolEngine.Role.CALLER, EngineState.OPEN);
            caller.receive(ByteBuffer.wrap(bytes(new Frame.Abort(ReasonCode.APPLICATION_ABORT.code(),
                    "bye".getBytes(StandardCharsets.UTF_8)))));
            assertThat(caller.outcome()).contains(new CloseIndication(CloseIndication.Kind.RESET,
                    ReasonCode.APPLICATION_ABORT, "bye"));
        }

        @Test
        void aLocalAbortSendsAbortAndReportsConnectionAborted() {
            ProtocolEngine caller = Engines.in(ProtocolEngine.Role.CALLER, EngineState.SEND_CLOSED);
            caller.abort(ReasonCode.APPLICATION_ABORT, "x".repeat(2000));
            Frame.Abort abort = (Frame.Abort) outputFrames(caller, false).getFirst();
            assertThat(abort.reasonData()).as("reason data is clipped to 1024 bytes").hasSize(1024);
            assertThat(caller.outcome().orElseThrow().winsockError()).isEqualTo(WinsockError.WSAECONNABORTED);
        }

        @Test
        void localOnlyReasonsCannotBeSent() {
            ProtocolEngine caller = Engines.in(ProtocolEngine.Role.CALLER, EngineState.OPEN);
            assertThatThrownBy(() -> caller.abort(ReasonCode.TRANSPORT_RESET, "x"))
                    .isInstanceOfSatisfying(IllegalCommandException.class,
                            e -> assertThat(e.winsockError()).isEqualTo(WinsockError.WSAEINVAL));
            assertThat(caller.state()).isEqualTo(EngineState.OPEN);
        }

        @Test
        void anUnknownRejectReasonReadsAsUnspecified() {
            ProtocolEngine caller = Engines.in(ProtocolEngine.Role.CALLER, EngineState.CONNECTING);
            caller.receive(ByteBuffer.wrap(bytes(new Frame.Reject(4242, new byte[0]))));
            assertThat(caller.outcome().orElseThrow().kind()).isEqualTo(CloseIndication.Kind.REFUSED);
            assertThat(caller.outcome().orElseThrow().reason()).isEqualTo(ReasonCode.UNSPECIFIED);
            assertThat(caller.outcome().orElseThrow().winsockError()).as("A4").isEqualTo(WinsockError.WSAECONNREFUSED);
        }
    }
}
