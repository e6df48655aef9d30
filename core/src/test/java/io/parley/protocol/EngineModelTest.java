package io.parley.protocol;

import io.parley.CloseIndication;
import io.parley.FlowSpec;
import io.parley.Qos;
import io.parley.ReasonCode;
import io.parley.ServiceType;
import io.parley.WinsockError;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Model-based test (STYLE 12): a caller and a callee engine wired back to back through a simulated transport,
 * driven by random steps — commands (legal or not), partial deliveries of the bytes in flight, transport ends
 * and resets, the passing of time — with the documented guarantees checked after every step:
 * <ul>
 *   <li>each engine's output is a valid Parley stream with no DATA or DISCONNECT after its own DISCONNECT and
 *       nothing after its ABORT or REJECT (D1), and PENDING at most once a second (A5); it sends one CLOSE_SEEN
 *       exactly when a DISCONNECT with CLOSED reaches it while its own DISCONNECT is not sent;</li>
 *   <li>every message sent before the sender's DISCONNECT arrives, whole, in order, exactly once, before
 *       PeerDisconnected, which carries the disconnect data (D2, P2); a caller's early messages (sent while
 *       CONNECTING) reach the callee after ConnectRequested, and its driver hands them to the application
 *       only once it accepted, discarding them otherwise;</li>
 *   <li>Closed comes exactly once and last; the state is CLOSED exactly when it has come;</li>
 *   <li>graceful only when both disconnects crossed; an end of stream or reset before the peer's DISCONNECT is
 *       never graceful (E2, L2); two engines left alone after both disconnected do end gracefully (L4);</li>
 *   <li>a refused command throws IllegalCommandException with the documented Winsock error and changes
 *       nothing; no other exception escapes; two correct engines never see a protocol violation.</li>
 * </ul>
 */
class EngineModelTest {
    private static final long MS = 1_000_000L;
    private static final long HANDSHAKE_DEADLINE = 5_000 * MS;
    private static final FrameLimits AUDIT_LIMITS = new FrameLimits(WireFormat.MAX_USER_DATA,
            WireFormat.MAX_USER_DATA, WireFormat.MAX_USER_DATA, Integer.MAX_VALUE - 8);
    private static final Qos REQUESTED = bestEffortBothWays(1000);
    private static final Set<ReasonCode> NEVER_BETWEEN_CORRECT_PEERS = EnumSet.of(ReasonCode.PROTOCOL_VIOLATION,
            ReasonCode.NOT_PARLEY, ReasonCode.VERSION_UNSUPPORTED);

    enum Side { CALLER, CALLEE }

    enum Grant { NONE, LOWER, HIGHER }

    sealed interface Step {
    }

    record Connect(int dataSize, boolean qos) implements Step {
    }

    record Accept(int dataSize, Grant grant) implements Step {
    }

    record Reject(ReasonCode reason, int dataSize) implements Step {
    }

    record Defer() implements Step {
    }

    record Send(Side side, int size) implements Step {
    }

    record Disconnect(Side side, int size, boolean closing) implements Step {
    }

    record Abort(Side side) implements Step {
    }

    /** Moves up to {@code bytes} of what {@code from} sent to the other side. */
    record Deliver(Side from, int bytes) implements Step {
    }

    /** The transport direction from {@code from} ends: FIN after the bytes in flight, or a reset dropping them. */
    record End(Side from, boolean reset) implements Step {
    }

    record Tick(int millis) implements Step {
    }

    record Timeout(Side side) implements Step {
    }

    /** Limits and fragment sizes of both engines. */
    record Setup(FrameLimits callerLimits, int callerFragment, FrameLimits calleeLimits, int calleeFragment) {
    }

    @Provide
    Arbitrary<Setup> setups() {
        Arbitrary<FrameLimits> limits = Combinators.combine(Arbitraries.integers().between(0, 60),
                Arbitraries.integers().between(0, 40), Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(0, 300)).as(FrameLimits::new);
        Arbitrary<Integer> fragment = Arbitraries.integers().between(1, 64);
        return Combinators.combine(limits, fragment, limits, fragment).as(Setup::new);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Side> side = Arbitraries.of(Side.class);
        Arbitrary<Integer> small = Arbitraries.integers().between(0, 24);
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                Tuple.of(4, Combinators.combine(small, Arbitraries.of(true, false)).as(Connect::new)),
                Tuple.of(4, Combinators.combine(small, Arbitraries.of(Grant.class)).as(Accept::new)),
                Tuple.of(1, Combinators.combine(
                        Arbitraries.of(ReasonCode.REFUSED, ReasonCode.QUEUE_FULL, ReasonCode.UNSPECIFIED),
                        Arbitraries.oneOf(small, Arbitraries.integers().between(1000, 1100))).as(Reject::new)),
                Tuple.of(3, Arbitraries.just(new Defer())),
                Tuple.of(24, Combinators.combine(side, Arbitraries.integers().between(0, 330)).as(Send::new)),
                Tuple.of(6, Combinators.combine(side, small, Arbitraries.of(false, false, true)).as(Disconnect::new)),
                Tuple.of(1, side.map(Abort::new)),
                Tuple.of(36, Combinators.combine(side, Arbitraries.oneOf(Arbitraries.integers().between(1, 30),
                        Arbitraries.just(Integer.MAX_VALUE))).as(Deliver::new)),
                Tuple.of(1, Combinators.combine(side, Arbitraries.of(false, true)).as(End::new)),
                Tuple.of(3, Arbitraries.integers().between(1, 3000).map(Tick::new)),
                Tuple.of(2, side.map(Timeout::new)));
        // Most runs start with a completed handshake and half of them end with both disconnects, so that
        // random steps hit the open connection and the teardown, not only the handshake.
        Arbitrary<Integer> tiny = Arbitraries.integers().between(0, 8);
        Arbitrary<List<Step>> opened = Combinators.combine(tiny, tiny).as((callerData, calleeData) -> List.of(
                new Connect(callerData, false), new Deliver(Side.CALLER, Integer.MAX_VALUE),
                new Accept(calleeData, Grant.NONE), new Deliver(Side.CALLEE, Integer.MAX_VALUE)));
        Arbitrary<List<Step>> closed = Combinators.combine(side, tiny, tiny).as((first, a, b) -> List.of(
                new Disconnect(first, a, false), new Disconnect(first == Side.CALLER ? Side.CALLEE : Side.CALLER, b,
                        false)));
        // Early messages: the caller sends before the answer, which comes at once or from the random steps.
        Arbitrary<List<Step>> early = Combinators.combine(tiny, tiny, tiny, Arbitraries.of(true, false))
                .as((callerData, first, second, accepting) -> {
                    List<Step> steps = new ArrayList<>(List.of(new Connect(callerData, false),
                            new Send(Side.CALLER, first), new Deliver(Side.CALLER, 30), new Send(Side.CALLER, second)));
                    if (accepting) {
                        steps.addAll(List.of(new Deliver(Side.CALLER, Integer.MAX_VALUE), new Accept(0, Grant.NONE)));
                    }
                    return steps;
                });
        Arbitrary<List<Step>> prefix = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(List.of())),
                Tuple.of(3, opened), Tuple.of(1, early));
        Arbitrary<List<Step>> suffix = Arbitraries.oneOf(Arbitraries.just(List.of()), closed);
        return Combinators.combine(prefix, step.list().ofMaxSize(50), suffix).as((first, middle, last) -> {
            List<Step> all = new ArrayList<>(first);
            all.addAll(middle);
            all.addAll(last);
            return all;
        });
    }

    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    void twoEnginesKeepEveryGuaranteeWhateverHappens(@ForAll("setups") Setup setup,
                                                     @ForAll("steps") List<Step> steps) {
        Model model = new Model(setup);
        for (Step step : steps) {
            model.run(step);
            model.checkInvariants();
        }
        model.settle();
        model.checkInvariants();
        model.checkFinalOutcome();
        // The generators must keep reaching the interesting paths, or the property proves little.
        Statistics.label("graceful").collect(CloseIndication.GRACEFUL.equals(model.caller.closed));
        Statistics.label("graceful").coverage(c -> c.check(true).percentage(p -> p >= 5));
        Statistics.label("messages delivered")
                .collect(!model.caller.received.isEmpty() || !model.callee.received.isEmpty());
        Statistics.label("messages delivered").coverage(c -> c.check(true).percentage(p -> p >= 15));
        Statistics.label("fragmented message delivered").collect(model.fragmentedDelivered);
        Statistics.label("fragmented message delivered").coverage(c -> c.check(true).percentage(p -> p >= 5));
        Statistics.label("early messages delivered").collect(model.earlyDelivered);
        Statistics.label("early messages delivered").coverage(c -> c.check(true).percentage(p -> p >= 2));
        Statistics.label("refused commands").collect(model.refusals > 0);
        Statistics.label("refused commands").coverage(c -> c.check(true).percentage(p -> p >= 50));
    }

    // ------------------------------------------------------------------------------ the model

    /** One side: its engine, what the application did with it, and what it observed. */
    private static final class Peer {
        final Side side;
        final ProtocolEngine engine;
        final EngineConfig config;
        final ByteArrayOutputStream inFlight = new ByteArrayOutputStream();
        final FrameDecoder audit = new FrameDecoder(AUDIT_LIMITS);
        boolean directionEnded;
        boolean inputEnded;
        // What the application did.
        byte[] handshakeData;
        Qos handshakeQos;
        final List<byte[]> sent = new ArrayList<>();
        byte[] disconnectData;
        boolean closing;
        boolean aborted;
        boolean timedOut;
        // What it observed.
        /** Messages handed to the application (a callee's early messages only once it accepted). */
        final List<byte[]> received = new ArrayList<>();
        /** A callee's early messages, which its driver holds until the application accepts. */
        final List<byte[]> held = new ArrayList<>();
        boolean requestSeen;
        boolean accepted;
        boolean peerDisconnected;
        boolean peerClosing;
        CloseIndication closed;
        // What it emitted (from the audit of its output).
        boolean emittedDisconnect;
        boolean emittedFinal;
        boolean emittedCloseSeen;
        long lastPending = Long.MIN_VALUE;
        ReasonCode lastAbortReason;

        Peer(Side side, EngineConfig config) {
            this.side = side;
            this.config = config;
            this.engine = side == Side.CALLER ? ProtocolEngine.caller(config, HANDSHAKE_DEADLINE)
                    : ProtocolEngine.callee(config, HANDSHAKE_DEADLINE);
        }
    }

    private static final class Model {
        final Peer caller;
        final Peer callee;
        long now;
        boolean faults;
        boolean callerDataTooLarge;
        /** Caller data plus each early message's size and overhead: what the callee may charge to its budget. */
        long earlyCost;
        /** The largest early message: over the callee's max message size the request may be refused. */
        long largestEarly = -1;
        /** What the protocol's maximum leaves the caller for early messages (docs/protocol.md 4.5). */
        long earlyRoom;
        boolean fragmentedDelivered;
        /** A callee's application received early messages (by accepting). */
        boolean earlyDelivered;
        int refusals;
        final List<String> trace = new ArrayList<>();

        Model(Setup setup) {
            caller = new Peer(Side.CALLER, new EngineConfig(setup.callerLimits(), setup.callerFragment()));
            callee = new Peer(Side.CALLEE, new EngineConfig(setup.calleeLimits(), setup.calleeFragment()));
        }

        Peer peer(Side side) {
            return side == Side.CALLER ? caller : callee;
        }

        Peer other(Peer p) {
            return p == caller ? callee : caller;
        }

        void run(Step step) {
            trace.add(step.toString());
            EngineState callerBefore = caller.engine.state();
            EngineState calleeBefore = callee.engine.state();
            switch (step) {
                case Connect c -> connect(c);
                case Accept a -> accept(a);
                case Reject r -> reject(r);
                case Defer d -> defer();
                case Send s -> send(peer(s.side()), s.size());
                case Disconnect d -> disconnect(peer(d.side()), d.size(), d.closing());
                case Abort a -> abort(peer(a.side()));
                case Deliver d -> deliver(peer(d.from()), d.bytes());
                case End e -> end(peer(e.from()), e.reset());
                case Tick t -> now += t.millis() * MS;
                case Timeout t -> timeout(peer(t.side()));
            }
            pump(caller, callerBefore);
            pump(callee, calleeBefore);
        }

        // ---------------------------------------------------------------- commands

        void connect(Connect c) {
            byte[] data = bytes(c.dataSize(), 1);
            Qos qos = c.qos() ? REQUESTED : null;
            if (command(caller, () -> caller.engine.connect(qos, null, data),
                    expect(caller, WinsockError.WSAEISCONN, EngineState.IDLE))) {
                caller.handshakeData = data;
                caller.handshakeQos = qos;
                callerDataTooLarge = data.length > callee.config.receiveLimits().maxCallerData();
                earlyCost = data.length;
                earlyRoom = WireFormat.MAX_USER_DATA - data.length;
            }
        }

        void accept(Accept a) {
            byte[] data = bytes(a.dataSize(), 2);
            Qos granted = switch (a.grant()) {
                case NONE -> null;
                case LOWER -> bestEffortBothWays(500);
                case HIGHER -> bestEffortBothWays(2000);
            };
            WinsockError expected = expect(callee, WinsockError.WSAENOTCONN, EngineState.REQUESTED);
            if (expected == null && data.length > caller.config.receiveLimits().maxCalleeData()) {
                expected = WinsockError.WSAEMSGSIZE;
            }
            if (expected == null && granted != null && (caller.handshakeQos == null || a.grant() == Grant.HIGHER)) {
                expected = WinsockError.WSAEINVAL;
            }
            if (command(callee, () -> callee.engine.accept(data, granted, null), expected)) {
                callee.handshakeData = data;
                callee.handshakeQos = granted;
                callee.accepted = true;
                earlyDelivered |= !callee.held.isEmpty();
                callee.received.addAll(callee.held);
                callee.held.clear();
            }
        }

        void reject(Reject r) {
            byte[] data = bytes(r.dataSize(), 3);
            WinsockError expected = expect(callee, WinsockError.WSAENOTCONN, EngineState.REQUESTED);
            if (expected == null && data.length > 1024) {
                expected = WinsockError.WSAEMSGSIZE;
            }
            command(callee, () -> callee.engine.reject(r.reason(), data), expected);
        }

        void defer() {
            EngineState state = callee.engine.state();
            int before = callee.engine.pendingOutput();
            if (command(callee, () -> callee.engine.defer(now),
                    expect(callee, WinsockError.WSAENOTCONN, EngineState.REQUESTED))
                    && callee.lastPending == Long.MIN_VALUE) {
                assertThat(callee.engine.pendingOutput()).as("the first defer of a request sends PENDING")
                        .isGreaterThan(before);
                assertThat(state).isEqualTo(EngineState.REQUESTED);
            }
        }

        void send(Peer p, int size) {
            byte[] message = bytes(size, p.sent.size() + 10);
            WinsockError expected = expectSending(p, true);
            if (expected == null && p.peerClosing) {
                expected = WinsockError.WSAESHUTDOWN;
            }
            boolean early = p.engine.state() == EngineState.CONNECTING;
            long limit = early ? earlyRoom - WireFormat.EARLY_MESSAGE_OVERHEAD
                    : other(p).config.receiveLimits().maxMessageSize();
            if (expected == null && size > limit) {
                expected = WinsockError.WSAEMSGSIZE;
            }
            ByteBuffer buffer = ByteBuffer.wrap(message);
            if (command(p, () -> p.engine.send(buffer), expected)) {
                assertThat(buffer.hasRemaining()).as("send consumes the message").isFalse();
                p.sent.add(message);
                if (early) {
                    earlyRoom -= size + WireFormat.EARLY_MESSAGE_OVERHEAD;
                    earlyCost += size + WireFormat.EARLY_MESSAGE_OVERHEAD;
                    largestEarly = Math.max(largestEarly, size);
                    // Over a callee limit the caller cannot know, the callee refuses the request, or aborts if
                    // it accepted before the message arrived: the end may not be graceful.
                    faults |= size > callee.config.receiveLimits().maxMessageSize()
                            || earlyCost > callee.config.receiveLimits().maxCallerData();
                }
            } else {
                assertThat(buffer.position()).as("a refused send consumes nothing").isZero();
            }
        }

        void disconnect(Peer p, int size, boolean closing) {
            byte[] data = bytes(size, 4);
            WinsockError expected = expectSending(p, false);
            if (expected == null && size > other(p).config.receiveLimits().maxDisconnectData()) {
                expected = WinsockError.WSAEMSGSIZE;
            }
            if (command(p, () -> p.engine.sendDisconnect(data, closing), expected)) {
                p.disconnectData = data;
                p.closing = closing;
            }
        }

        void abort(Peer p) {
            EngineState before = p.engine.state();
            p.engine.abort(ReasonCode.APPLICATION_ABORT, "model");
            if (before != EngineState.CLOSED) {
                p.aborted = true;
                faults = true;
                assertThat(p.engine.state()).isEqualTo(EngineState.CLOSED);
            }
        }

        /** The documented error of a command legal only in {@code legal} (CONNECT, DECIDE). */
        WinsockError expect(Peer p, WinsockError otherwise, EngineState legal) {
            EngineState state = p.engine.state();
            if (state == legal) {
                return null;
            }
            return state == EngineState.CLOSED ? closedError(p) : otherwise;
        }

        /** The documented error of SEND_DISCONNECT by state, and of SEND, which a caller may also use early. */
        WinsockError expectSending(Peer p, boolean send) {
            return switch (p.engine.state()) {
                case OPEN, RECEIVE_CLOSED -> null;
                case CONNECTING -> send ? null : WinsockError.WSAENOTCONN;
                case IDLE, AWAITING_REQUEST, REQUESTED -> WinsockError.WSAENOTCONN;
                case SEND_CLOSED -> WinsockError.WSAESHUTDOWN;
                case CLOSED -> closedError(p);
            };
        }

        static WinsockError closedError(Peer p) {
            CloseIndication outcome = p.engine.outcome();
            return outcome.isGraceful() ? WinsockError.WSAESHUTDOWN : outcome.winsockError();
        }

        /** Runs a command; checks it is refused exactly when expected, and that a refusal changes nothing. */
        boolean command(Peer p, Runnable command, WinsockError expected) {
            EngineState state = p.engine.state();
            int output = p.engine.pendingOutput();
            if (expected == null) {
                command.run();
                return true;
            }
            assertThatThrownBy(command::run).as("%s in %s", trace.getLast(), state)
                    .isInstanceOfSatisfying(IllegalCommandException.class,
                            e -> assertThat(e.winsockError()).as(e.getMessage()).isEqualTo(expected));
            assertThat(p.engine.state()).as("state after a refused command").isEqualTo(state);
            assertThat(p.engine.pendingOutput()).as("output after a refused command").isEqualTo(output);
            assertThat(p.engine.pollEvent()).as("events after a refused command").isNull();
            refusals++;
            return false;
        }

        // ---------------------------------------------------------------- the transport and time

        void deliver(Peer from, int bytes) {
            if (other(from).engine.state() == EngineState.IDLE) {
                return; // A caller's driver sends the preamble and CONNECT before it reads anything.
            }
            byte[] all = from.inFlight.toByteArray();
            int n = Math.min(bytes, all.length);
            if (n == 0) {
                return;
            }
            from.inFlight.reset();
            from.inFlight.write(all, n, all.length - n);
            other(from).engine.receive(ByteBuffer.wrap(all, 0, n));
        }

        void end(Peer from, boolean reset) {
            if (from.directionEnded) {
                return;
            }
            Peer to = other(from);
            if (reset) {
                from.inFlight.reset();
            } else {
                deliver(from, Integer.MAX_VALUE);
                drain(to);
            }
            from.directionEnded = true;
            to.inputEnded = true;
            faults = true;
            EngineState before = to.engine.state();
            if (reset) {
                to.engine.receiveReset("model");
            } else {
                to.engine.receiveEndOfStream();
            }
            EngineState after = to.engine.state();
            if (before == EngineState.CLOSED) {
                assertThat(after).isEqualTo(EngineState.CLOSED);
            } else if (!reset && before == EngineState.RECEIVE_CLOSED) {
                assertThat(after).as("an end of stream after the peer's DISCONNECT is normal")
                        .isEqualTo(EngineState.RECEIVE_CLOSED);
            } else {
                assertThat(after).isEqualTo(EngineState.CLOSED);
                CloseIndication outcome = to.engine.outcome();
                assertThat(outcome.kind()).as("a transport end before the peer's DISCONNECT is never graceful")
                        .isEqualTo(reset ? CloseIndication.Kind.RESET : CloseIndication.Kind.ABORTED);
                assertThat(outcome.reason())
                        .isEqualTo(reset ? ReasonCode.TRANSPORT_RESET : ReasonCode.TRANSPORT_CLOSED);
            }
        }

        void timeout(Peer p) {
            EngineState before = p.engine.state();
            int output = p.engine.pendingOutput();
            p.engine.handleTimeout(now);
            boolean handshake = p.side == Side.CALLER
                    ? before == EngineState.IDLE || before == EngineState.CONNECTING
                    : before == EngineState.AWAITING_REQUEST;
            if (handshake && now >= HANDSHAKE_DEADLINE) {
                p.timedOut = true;
                faults = true;
                assertThat(p.engine.state()).isEqualTo(EngineState.CLOSED);
                assertThat(p.engine.outcome().reason()).isEqualTo(ReasonCode.TIMED_OUT);
                assertThat(p.engine.outcome().winsockError()).isEqualTo(WinsockError.WSAETIMEDOUT);
                if (before != EngineState.IDLE) {
                    pump(p, before);
                    assertThat(p.lastAbortReason).as("the ABORT a handshake timeout sends")
                            .isEqualTo(p.side == Side.CALLER ? ReasonCode.WITHDRAWN : ReasonCode.TIMED_OUT);
                }
            } else {
                assertThat(p.engine.state()).as("no timeout outside the handshake or before the deadline")
                        .isEqualTo(before);
                assertThat(p.engine.pendingOutput()).isEqualTo(output);
            }
        }

        /** Both engines left alone: every byte in flight is delivered until nothing moves. */
        void settle() {
            for (int round = 0; round < 20; round++) {
                if (caller.inFlight.size() == 0 && callee.inFlight.size() == 0
                        || caller.engine.state() == EngineState.IDLE) {
                    return;
                }
                run(new Deliver(Side.CALLER, Integer.MAX_VALUE));
                checkInvariants();
                run(new Deliver(Side.CALLEE, Integer.MAX_VALUE));
                checkInvariants();
            }
            fail("the engines keep talking: " + trace);
        }

        /** Moves an engine's output onto its transport (dropped once that direction ended) and audits it. */
        void pump(Peer p, EngineState before) {
            ByteBuffer out = p.engine.takeOutput();
            if (out != null) {
                assertThat(before).as("output from an engine that was already closed").isNotEqualTo(EngineState.CLOSED);
                byte[] bytes = new byte[out.remaining()];
                out.get(bytes);
                p.engine.releaseOutput();
                audit(p, bytes);
                if (!p.directionEnded) {
                    p.inFlight.writeBytes(bytes);
                }
            }
            boolean disconnectedBefore = p.peerDisconnected;
            drain(p);
            if (!disconnectedBefore && p.peerClosing) {
                assertThat(p.emittedCloseSeen).as("%s answered a DISCONNECT with CLOSED with CLOSE_SEEN (its own"
                        + " DISCONNECT sent: %s)", p.side, p.disconnectData != null).isEqualTo(p.disconnectData == null);
            }
        }

        void audit(Peer p, byte[] bytes) {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            try {
                Frame frame;
                while ((frame = p.audit.next(in)) != null) {
                    assertThat(p.emittedFinal).as("%s sent %s after its ABORT or REJECT", p.side, frame.type())
                            .isFalse();
                    switch (frame) {
                        case Frame.Data d -> assertThat(p.emittedDisconnect)
                                .as("%s sent DATA after its DISCONNECT", p.side).isFalse();
                        case Frame.MessageSize m -> assertThat(p.emittedDisconnect)
                                .as("%s sent MESSAGE_SIZE after its DISCONNECT", p.side).isFalse();
                        case Frame.Disconnect d -> {
                            assertThat(p.emittedDisconnect).as("%s sent a second DISCONNECT", p.side).isFalse();
                            p.emittedDisconnect = true;
                        }
                        case Frame.CloseSeen c -> {
                            assertThat(p.emittedDisconnect).as("%s sent CLOSE_SEEN after its DISCONNECT", p.side)
                                    .isFalse();
                            assertThat(p.emittedCloseSeen).as("%s sent a second CLOSE_SEEN", p.side).isFalse();
                            assertThat(p.engine.isPeerClosed()).as("%s sent CLOSE_SEEN unasked", p.side).isTrue();
                            p.emittedCloseSeen = true;
                        }
                        case Frame.Abort a -> {
                            p.emittedFinal = true;
                            p.lastAbortReason = a.reason();
                        }
                        case Frame.Reject r -> p.emittedFinal = true;
                        case Frame.Pending pending -> {
                            assertThat(p.lastPending == Long.MIN_VALUE || now - p.lastPending >= 1_000 * MS)
                                    .as("PENDING at most once a second (A5)").isTrue();
                            p.lastPending = now;
                        }
                        default -> {
                        }
                    }
                }
            } catch (ProtocolViolationException e) {
                fail(p.side + " emitted an invalid stream: " + e.getMessage());
            }
            assertThat(p.audit.isMidFrame()).as("%s's output ends inside a frame", p.side).isFalse();
        }

        /** Checks every event as it comes out. */
        void drain(Peer p) {
            Peer o = other(p);
            ProtocolEvent event;
            while ((event = p.engine.pollEvent()) != null) {
                assertThat(p.closed).as("%s: event %s after Closed", p.side, event).isNull();
                switch (event) {
                    case ProtocolEvent.ConnectRequested r -> {
                        assertThat(p.side).isEqualTo(Side.CALLEE);
                        assertThat(r.callerData()).isEqualTo(o.handshakeData);
                        assertThat(r.qos()).isEqualTo(o.handshakeQos);
                        p.requestSeen = true;
                    }
                    case ProtocolEvent.Accepted a -> {
                        assertThat(p.side).isEqualTo(Side.CALLER);
                        assertThat(a.calleeData()).isEqualTo(o.handshakeData);
                        assertThat(a.grantedQos()).isEqualTo(o.handshakeQos);
                    }
                    case ProtocolEvent.Deferred d -> assertThat(p.side).isEqualTo(Side.CALLER);
                    case ProtocolEvent.MessageReceived m -> {
                        assertThat(p.peerDisconnected).as("a message after PeerDisconnected").isFalse();
                        assertThat(p.side == Side.CALLER || p.requestSeen).as("an early message before the request")
                                .isTrue();
                        int index = p.received.size() + p.held.size();
                        assertThat(index).as("more messages than were sent").isLessThan(o.sent.size());
                        assertThat(m.message()).as("message %d", index).isEqualTo(o.sent.get(index));
                        (p.side == Side.CALLEE && !p.accepted ? p.held : p.received).add(m.message());
                        fragmentedDelivered |= m.message().length > o.config.maxFragmentSize();
                    }
                    case ProtocolEvent.PeerDisconnected d -> {
                        assertThat(p.peerDisconnected).as("a second PeerDisconnected").isFalse();
                        assertThat(p.received.size()).as("messages delivered before PeerDisconnected")
                                .isEqualTo(o.sent.size());
                        assertThat(d.data()).isEqualTo(o.disconnectData);
                        assertThat(d.peerClosed()).isEqualTo(o.closing);
                        p.peerDisconnected = true;
                        p.peerClosing = d.peerClosed();
                    }
                    case ProtocolEvent.Closed c -> {
                        p.closed = c.indication();
                        p.held.clear(); // the request ended undecided or refused: its early messages are dropped
                        if (c.indication().isGraceful()) {
                            assertThat(p.disconnectData).as("graceful without its own DISCONNECT").isNotNull();
                            assertThat(p.peerDisconnected).as("graceful without the peer's DISCONNECT").isTrue();
                        }
                    }
                }
            }
        }

        // ---------------------------------------------------------------- invariants

        void checkInvariants() {
            for (Peer p : List.of(caller, callee)) {
                EngineState state = p.engine.state();
                assertThat(state == EngineState.CLOSED).as("%s: CLOSED exactly when Closed was reported", p.side)
                        .isEqualTo(p.closed != null);
                assertThat(p.engine.outcome()).isEqualTo(p.closed);
                if (p.disconnectData != null) {
                    assertThat(state).isIn(EngineState.SEND_CLOSED, EngineState.CLOSED);
                }
                if (p.peerDisconnected) {
                    assertThat(state).isIn(EngineState.RECEIVE_CLOSED, EngineState.CLOSED);
                }
                if (state == EngineState.SEND_CLOSED) {
                    assertThat(p.disconnectData).isNotNull();
                }
                if (state == EngineState.RECEIVE_CLOSED) {
                    assertThat(p.peerDisconnected).isTrue();
                }
                if (p.closed != null) {
                    assertThat(p.closed.reason()).as("%s: two correct engines never see a violation: %s",
                            p.side, p.closed).isNotIn(NEVER_BETWEEN_CORRECT_PEERS);
                    if (p.closed.reason() == ReasonCode.DATA_TOO_LARGE) {
                        assertThat(callerDataTooLarge || earlyCost > callee.config.receiveLimits().maxCallerData())
                                .as("DATA_TOO_LARGE only for caller data (and early messages) over the callee's "
                                        + "limit, which the caller cannot know").isTrue();
                    }
                    if (p.closed.reason() == ReasonCode.MESSAGE_TOO_LARGE) {
                        assertThat(largestEarly).as("MESSAGE_TOO_LARGE only for an early message over the callee's "
                                + "limit, which the caller cannot know").isGreaterThan(
                                callee.config.receiveLimits().maxMessageSize());
                    }
                    if (p.side == Side.CALLEE && !p.accepted) {
                        assertThat(p.received).as("early messages of a request never accepted").isEmpty();
                    }
                }
            }
        }

        /** Left alone after both sides disconnected, and with nothing broken, both ends are graceful. */
        void checkFinalOutcome() {
            if (faults || caller.disconnectData == null || callee.disconnectData == null) {
                return;
            }
            for (Peer p : List.of(caller, callee)) {
                assertThat(p.closed).as("%s after both disconnects crossed: %s", p.side, trace)
                        .isEqualTo(CloseIndication.GRACEFUL);
                assertThat(p.received).hasSameSizeAs(other(p).sent);
            }
        }
    }

    private static byte[] bytes(int size, int salt) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + salt);
        }
        return b;
    }

    private static Qos bestEffortBothWays(long rate) {
        FlowSpec spec = new FlowSpec(rate, 1000, FlowSpec.NOT_SPECIFIED, FlowSpec.NOT_SPECIFIED,
                FlowSpec.NOT_SPECIFIED, ServiceType.BEST_EFFORT, 0, FlowSpec.NOT_SPECIFIED, FlowSpec.NOT_SPECIFIED);
        return new Qos(spec, spec);
    }
}
