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
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Model-based test (STYLE 12): a caller and a callee engine wired back to back through a simulated transport,
 * driven by random steps — commands (legal or not), partial deliveries of the bytes in flight, transport ends
 * and resets, the passing of time — with the documented guarantees checked after every step. The model knows
 * which bytes really crossed: every frame's end offset in its sender's stream and how much of each stream was
 * delivered, so "arrived" below means delivered, not merely sent.
 * <ul>
 *   <li>each engine's output is a valid Parley stream with no DATA or DISCONNECT after its own DISCONNECT and
 *       nothing after its ABORT or REJECT (D1), only a DISCONNECT_ACK or an ABORT after its DISCONNECT, and
 *       PENDING at most once a second (A5); it sends exactly one DISCONNECT_ACK, only once the peer's
 *       DISCONNECT arrived and in the same step (docs/protocol.md 4.8);</li>
 *   <li>while a request is deferred PENDING repeats every second: the callee's deadline is its last PENDING
 *       plus a second, and a timeout then sends one (4.4, 7.5);</li>
 *   <li>every message sent before the sender's DISCONNECT arrives, whole, in order, exactly once, before
 *       PeerDisconnected, which carries the disconnect data (D2, P2); a caller's early messages (given with
 *       connect, declared in CONNECT) reach the callee after ConnectRequested, and its driver hands them to the
 *       application only once it accepted, discarding them otherwise; caller data with the early length over
 *       the callee's limit is refused at the CONNECT, exactly then (4.6);</li>
 *   <li>Closed comes exactly once and last; the state is CLOSED exactly when it has come; the teardown state
 *       is exactly what has arrived says (SEND_CLOSED, SEND_CONFIRMED, RECEIVE_CLOSED, CLOSING, 7.1);</li>
 *   <li>graceful exactly when both DISCONNECTs crossed and this side's DISCONNECT_ACK arrived: never when the
 *       bytes between the two were cut before it; an end of stream, a reset or an abort while only that
 *       acknowledgement is missing (CLOSING) is unconfirmed, and nothing else is (7.4); two engines left alone
 *       after both disconnected do end gracefully (L4);</li>
 *   <li>a refused command throws IllegalCommandException with the documented Winsock error and changes
 *       nothing, a local-only reason included (WSAEINVAL); no other exception escapes; two correct engines
 *       never see a protocol violation.</li>
 * </ul>
 */
class EngineModelTest {
    private static final long MS = 1_000_000L;
    private static final long HANDSHAKE_DEADLINE = 5_000 * MS;
    private static final long PENDING_INTERVAL = 1_000 * MS;
    /** User data of this size needs a CONTINUATION in every frame type (docs/protocol.md 4.5). */
    private static final int CONTINUED = 70_000;
    private static final FrameLimits AUDIT_LIMITS = new FrameLimits(WireFormat.MAX_USER_DATA,
            WireFormat.MAX_USER_DATA, WireFormat.MAX_USER_DATA, WireFormat.MAX_USER_DATA, Integer.MAX_VALUE - 8);
    private static final Qos REQUESTED = bestEffortBothWays(1000);
    private static final Set<ReasonCode> NEVER_BETWEEN_CORRECT_PEERS = EnumSet.of(ReasonCode.PROTOCOL_VIOLATION,
            ReasonCode.NOT_PARLEY, ReasonCode.VERSION_UNSUPPORTED);

    enum Side { CALLER, CALLEE }

    enum Grant { NONE, LOWER, HIGHER }

    sealed interface Step {
    }

    /** The caller connects, with caller data and the early messages of these sizes. */
    record Connect(int dataSize, boolean qos, List<Integer> early) implements Step {
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

    record Abort(Side side, ReasonCode reason) implements Step {
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
        Arbitrary<Integer> reason = Arbitraries.integers().between(WireFormat.MIN_REASON_DATA_LIMIT, 1100);
        Arbitrary<Integer> message = Arbitraries.integers().between(0, 300);
        Arbitrary<FrameLimits> small = Combinators.combine(Arbitraries.integers().between(0, 60),
                Arbitraries.integers().between(0, 40), Arbitraries.integers().between(0, 40), reason, message)
                .as((caller, callee, disconnect, r, m) -> new FrameLimits(caller, callee, disconnect, r, m));
        // Room for user data that needs CONTINUATION frames, in some engines and for some kinds of data.
        Arbitrary<Integer> roomy = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.integers().between(0, 60)),
                Tuple.of(2, Arbitraries.just(200_000)));
        Arbitrary<FrameLimits> large = Combinators.combine(roomy, roomy, roomy,
                Arbitraries.oneOf(reason, Arbitraries.just(200_000)), message)
                .as((caller, callee, disconnect, r, m) -> new FrameLimits(caller, callee, disconnect, r, m));
        Arbitrary<FrameLimits> limits = Arbitraries.frequencyOf(Tuple.of(4, small), Tuple.of(1, large));
        Arbitrary<Integer> fragment = Arbitraries.integers().between(1, 64);
        return Combinators.combine(limits, fragment, limits, fragment).as(Setup::new);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Side> side = Arbitraries.of(Side.class);
        Arbitrary<Integer> small = Arbitraries.integers().between(0, 24);
        Arbitrary<Integer> userData = Arbitraries.frequencyOf(Tuple.of(20, small), Tuple.of(1, Arbitraries.just(CONTINUED)));
        Arbitrary<List<Integer>> early = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(List.of())),
                Tuple.of(1, Arbitraries.integers().between(0, 40).list().ofMinSize(1).ofMaxSize(3)));
        Arbitrary<ReasonCode> abortReason = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(ReasonCode.APPLICATION_ABORT)),
                Tuple.of(1, Arbitraries.of(ReasonCode.TRANSPORT_RESET, ReasonCode.VERSION_UNSUPPORTED)));
        Arbitrary<ReasonCode> rejectReason = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(ReasonCode.REFUSED, ReasonCode.QUEUE_FULL, ReasonCode.UNSPECIFIED)),
                Tuple.of(1, Arbitraries.of(ReasonCode.VERSION_UNSUPPORTED, ReasonCode.TRANSPORT_CLOSED)));
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                Tuple.of(4, Combinators.combine(userData, Arbitraries.of(true, false), early).as(Connect::new)),
                Tuple.of(4, Combinators.combine(userData, Arbitraries.of(Grant.class)).as(Accept::new)),
                Tuple.of(1, Combinators.combine(rejectReason,
                        Arbitraries.oneOf(userData, Arbitraries.integers().between(1000, 1120))).as(Reject::new)),
                Tuple.of(3, Arbitraries.just(new Defer())),
                Tuple.of(24, Combinators.combine(side, Arbitraries.integers().between(0, 330)).as(Send::new)),
                Tuple.of(6, Combinators.combine(side, userData, Arbitraries.of(false, false, true)).as(Disconnect::new)),
                Tuple.of(1, Combinators.combine(side, abortReason).as(Abort::new)),
                Tuple.of(36, Combinators.combine(side, Arbitraries.frequencyOf(
                        Tuple.of(6, Arbitraries.integers().between(1, 30)),
                        Tuple.of(3, Arbitraries.just(Integer.MAX_VALUE)),
                        // A cut in the middle of a frame continued in CONTINUATIONs.
                        Tuple.of(1, Arbitraries.integers().between(65_530, 65_545)))).as(Deliver::new)),
                Tuple.of(1, Combinators.combine(side, Arbitraries.of(false, true)).as(End::new)),
                Tuple.of(3, Arbitraries.integers().between(1, 3000).map(Tick::new)),
                Tuple.of(2, side.map(Timeout::new)));
        // Most runs start with a completed handshake and half of them end with both disconnects, so that
        // random steps hit the open connection and the teardown, not only the handshake.
        Arbitrary<Integer> tiny = Arbitraries.integers().between(0, 8);
        Arbitrary<List<Step>> opened = Combinators.combine(tiny, tiny).as((callerData, calleeData) -> List.of(
                new Connect(callerData, false, List.of()), new Deliver(Side.CALLER, Integer.MAX_VALUE),
                new Accept(calleeData, Grant.NONE), new Deliver(Side.CALLEE, Integer.MAX_VALUE)));
        Arbitrary<List<Step>> closed = Combinators.combine(side, tiny, tiny).as((first, a, b) -> List.of(
                new Disconnect(first, a, false), new Disconnect(other(first), b, false)));
        // Both disconnects cross, then one direction is reset with an acknowledgement perhaps still in flight:
        // the side waiting for it must end unconfirmed, never gracefully.
        Arbitrary<List<Step>> cut = Combinators.combine(side, side, Arbitraries.of(true, false))
                .as((first, reset, bothWays) -> {
                    List<Step> steps = new ArrayList<>(List.of(new Disconnect(first, 1, false),
                            new Deliver(first, Integer.MAX_VALUE), new Disconnect(other(first), 2, false),
                            new Deliver(other(first), Integer.MAX_VALUE), new End(reset, true)));
                    if (bothWays) {
                        steps.add(new End(other(reset), true));
                    }
                    return steps;
                });
        // Early messages: the caller gives them with connect; the answer comes at once or from the random steps.
        Arbitrary<List<Step>> earlyPrefix = Combinators.combine(tiny, tiny, tiny, Arbitraries.of(true, false))
                .as((callerData, first, second, accepting) -> {
                    List<Step> steps = new ArrayList<>(List.of(new Connect(callerData, false, List.of(first, second)),
                            new Deliver(Side.CALLER, 30)));
                    if (accepting) {
                        steps.addAll(List.of(new Deliver(Side.CALLER, Integer.MAX_VALUE), new Accept(0, Grant.NONE)));
                    }
                    return steps;
                });
        // A deferred request: PENDING now, and again each second while time passes.
        Arbitrary<List<Step>> deferred = Arbitraries.integers().between(200, 1500).map(ms -> List.of(
                new Connect(0, false, List.of()), new Deliver(Side.CALLER, Integer.MAX_VALUE), new Defer(),
                new Deliver(Side.CALLEE, Integer.MAX_VALUE), new Tick(ms), new Timeout(Side.CALLEE), new Tick(ms),
                new Timeout(Side.CALLEE), new Defer()));
        // User data in CONTINUATIONs both ways (refused where the limits are small).
        Arbitrary<List<Step>> continued = Arbitraries.of(Integer.MAX_VALUE, 65_536).map(cutAt -> List.of(
                new Connect(CONTINUED, false, List.of()), new Deliver(Side.CALLER, cutAt),
                new Deliver(Side.CALLER, Integer.MAX_VALUE), new Accept(CONTINUED, Grant.NONE),
                new Deliver(Side.CALLEE, cutAt)));
        Arbitrary<List<Step>> prefix = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(List.of())),
                Tuple.of(3, opened), Tuple.of(1, earlyPrefix), Tuple.of(1, deferred), Tuple.of(1, continued));
        Arbitrary<List<Step>> closedContinued = side.map(first -> List.of(new Disconnect(first, CONTINUED, false),
                new Deliver(first, 65_536), new Disconnect(other(first), CONTINUED, false)));
        Arbitrary<List<Step>> suffix = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(List.of())),
                Tuple.of(3, closed), Tuple.of(2, cut), Tuple.of(1, closedContinued));
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
        Statistics.label("unconfirmed").collect(model.unconfirmed);
        Statistics.label("unconfirmed").coverage(c -> c.check(true).percentage(p -> p >= 1));
        Statistics.label("acknowledgement cut off").collect(model.ackCut);
        Statistics.label("acknowledgement cut off").coverage(c -> c.check(true).percentage(p -> p >= 1));
        Statistics.label("messages delivered")
                .collect(!model.caller.received.isEmpty() || !model.callee.received.isEmpty());
        Statistics.label("messages delivered").coverage(c -> c.check(true).percentage(p -> p >= 15));
        Statistics.label("fragmented message delivered").collect(model.fragmentedDelivered);
        Statistics.label("fragmented message delivered").coverage(c -> c.check(true).percentage(p -> p >= 5));
        Statistics.label("early messages delivered").collect(model.earlyDelivered);
        Statistics.label("early messages delivered").coverage(c -> c.check(true).percentage(p -> p >= 2));
        Statistics.label("user data in CONTINUATIONs").collect(model.continuedDelivered);
        Statistics.label("user data in CONTINUATIONs").coverage(c -> c.check(true).percentage(p -> p >= 1));
        Statistics.label("PENDING repeated").collect(model.pendingRepeated);
        Statistics.label("PENDING repeated").coverage(c -> c.check(true).percentage(p -> p >= 2));
        Statistics.label("refused commands").collect(model.refusals > 0);
        Statistics.label("refused commands").coverage(c -> c.check(true).percentage(p -> p >= 50));
    }

    private static Side other(Side side) {
        return side == Side.CALLER ? Side.CALLEE : Side.CALLER;
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
        EngineState stateBefore;
        // What the application did.
        byte[] handshakeData;
        Qos handshakeQos;
        /** Caller: what its early messages cost (each its size plus 4), as CONNECT must declare. */
        long declaredEarly;
        final List<byte[]> sent = new ArrayList<>();
        byte[] disconnectData;
        /** Whether this side's DISCONNECT says CLOSED: asked for, and sent before the peer's arrived. */
        boolean closing;
        boolean aborted;
        boolean timedOut;
        /** Callee: a defer went through in REQUESTED (PENDING is due each second until the decision). */
        boolean deferred;
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
        // What it emitted (from the audit of its output), with offsets in its outbound stream.
        boolean emittedPreamble;
        boolean emittedConnect;
        boolean emittedAccept;
        boolean emittedDisconnect;
        boolean emittedAck;
        boolean emittedFinal;
        long lastPending = Long.MIN_VALUE;
        ReasonCode lastAbortReason;
        /** Bytes of output audited so far: the offset in this side's stream of the next byte it sends. */
        long emitted;
        /** The offset just past this side's DISCONNECT (with its CONTINUATIONs), or -1 if not sent. */
        long disconnectEnd = -1;
        /** The offset just past this side's DISCONNECT_ACK, or -1 if not sent. */
        long ackEnd = -1;
        /** Bytes of this side's stream delivered to the other side. */
        long delivered;

        Peer(Side side, EngineConfig config) {
            this.side = side;
            this.config = config;
            this.engine = side == Side.CALLER ? ProtocolEngine.caller(config, HANDSHAKE_DEADLINE)
                    : ProtocolEngine.callee(config, HANDSHAKE_DEADLINE);
        }

        /** This side's DISCONNECT has reached the peer (not merely been sent). */
        boolean disconnectDelivered() {
            return disconnectEnd >= 0 && delivered >= disconnectEnd;
        }

        /** This side's DISCONNECT_ACK has reached the peer. */
        boolean ackDelivered() {
            return ackEnd >= 0 && delivered >= ackEnd;
        }
    }

    private static final class Model {
        final Peer caller;
        final Peer callee;
        long now;
        boolean faults;
        /** Caller data plus the declared early length over the callee's max caller data (docs/protocol.md 4.6). */
        boolean overBudget;
        /** The largest early message: over the callee's max message size the request may be refused. */
        long largestEarly = -1;
        boolean fragmentedDelivered;
        /** A callee's application received early messages (by accepting). */
        boolean earlyDelivered;
        boolean continuedDelivered;
        boolean pendingRepeated;
        boolean unconfirmed;
        /** Both DISCONNECTs crossed but an acknowledgement was lost to a reset. */
        boolean ackCut;
        int refusals;
        Step current;
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
            current = step;
            caller.stateBefore = caller.engine.state();
            callee.stateBefore = callee.engine.state();
            switch (step) {
                case Connect c -> connect(c);
                case Accept a -> accept(a);
                case Reject r -> reject(r);
                case Defer d -> defer();
                case Send s -> send(peer(s.side()), s.size());
                case Disconnect d -> disconnect(peer(d.side()), d.size(), d.closing());
                case Abort a -> abort(peer(a.side()), a.reason());
                case Deliver d -> deliver(peer(d.from()), d.bytes());
                case End e -> end(peer(e.from()), e.reset());
                case Tick t -> now += t.millis() * MS;
                case Timeout t -> timeout(peer(t.side()));
            }
            pump(caller, caller.stateBefore);
            pump(callee, callee.stateBefore);
        }

        // ---------------------------------------------------------------- commands

        void connect(Connect c) {
            byte[] data = bytes(c.dataSize(), 1);
            Qos qos = c.qos() ? REQUESTED : null;
            List<byte[]> early = new ArrayList<>();
            for (int size : c.early()) {
                early.add(bytes(size, early.size() + 10));
            }
            if (command(caller, () -> caller.engine.connect(Optional.ofNullable(qos), Optional.empty(), data, early),
                    expect(caller, WinsockError.WSAEISCONN, EngineState.IDLE))) {
                caller.handshakeData = data;
                caller.handshakeQos = qos;
                caller.sent.addAll(early);
                FrameLimits calleeLimits = callee.config.receiveLimits();
                for (byte[] message : early) {
                    caller.declaredEarly += message.length + WireFormat.EARLY_MESSAGE_OVERHEAD;
                    largestEarly = Math.max(largestEarly, message.length);
                }
                overBudget = data.length + caller.declaredEarly > calleeLimits.maxCallerData();
                // Over a callee limit the caller cannot know, the callee refuses the request, or aborts if it
                // accepted before the message arrived: the end may not be graceful.
                faults |= overBudget || largestEarly > calleeLimits.maxMessageSize();
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
            if (command(callee, () -> callee.engine.accept(data, Optional.ofNullable(granted), Optional.empty()), expected)) {
                callee.handshakeData = data;
                callee.handshakeQos = granted;
                callee.accepted = true;
                callee.deferred = false;
                earlyDelivered |= !callee.held.isEmpty();
                callee.received.addAll(callee.held);
                callee.held.clear();
                assertThat(callee.engine.deadline()).as("no deadline once accepted").isEqualTo(Long.MAX_VALUE);
            }
        }

        void reject(Reject r) {
            byte[] data = bytes(r.dataSize(), 3);
            WinsockError expected = expect(callee, WinsockError.WSAENOTCONN, EngineState.REQUESTED);
            if (expected == null && r.reason().isLocalOnly()) {
                expected = WinsockError.WSAEINVAL; // docs/protocol.md 7.3, 8: a local-only reason is never sent
            }
            if (expected == null && data.length > caller.config.receiveLimits().maxReasonData()) {
                expected = WinsockError.WSAEMSGSIZE; // the caller's advertised max reason data (4.3)
            }
            command(callee, () -> callee.engine.reject(r.reason(), data), expected);
        }

        void defer() {
            int before = callee.engine.pendingOutput();
            boolean due = !callee.deferred || now - callee.lastPending >= PENDING_INTERVAL;
            if (command(callee, () -> callee.engine.defer(now),
                    expect(callee, WinsockError.WSAENOTCONN, EngineState.REQUESTED))) {
                assertThat(callee.engine.pendingOutput() - before)
                        .as("a defer sends PENDING unless one went out within the second (4.4)")
                        .isEqualTo(due ? WireFormat.HEADER_SIZE : 0);
                assertThat(callee.engine.state()).isEqualTo(EngineState.REQUESTED);
                callee.deferred = true;
            }
        }

        void send(Peer p, int size) {
            byte[] message = bytes(size, p.sent.size() + 10);
            WinsockError expected = expectSending(p);
            if (expected == null && p.peerClosing) {
                expected = WinsockError.WSAESHUTDOWN;
            }
            if (expected == null && size > other(p).config.receiveLimits().maxMessageSize()) {
                expected = WinsockError.WSAEMSGSIZE;
            }
            ByteBuffer buffer = ByteBuffer.wrap(message);
            if (command(p, () -> p.engine.send(buffer), expected)) {
                assertThat(buffer.hasRemaining()).as("send consumes the message").isFalse();
                p.sent.add(message);
            } else {
                assertThat(buffer.position()).as("a refused send consumes nothing").isZero();
            }
        }

        void disconnect(Peer p, int size, boolean closing) {
            byte[] data = bytes(size, 4);
            WinsockError expected = expectSending(p);
            if (expected == null && size > other(p).config.receiveLimits().maxDisconnectData()) {
                expected = WinsockError.WSAEMSGSIZE;
            }
            EngineState state = p.engine.state();
            if (command(p, () -> p.engine.sendDisconnect(data, closing), expected)) {
                p.disconnectData = data;
                // 4.7: never CLOSED on a DISCONNECT sent after the peer's arrived.
                p.closing = closing && state == EngineState.OPEN;
            }
        }

        void abort(Peer p, ReasonCode reason) {
            EngineState before = p.engine.state();
            if (before == EngineState.CLOSED) {
                int output = p.engine.pendingOutput();
                Optional<CloseIndication> outcome = p.engine.outcome();
                try {
                    p.engine.abort(reason, "model");
                } catch (IllegalCommandException e) {
                    // docs/protocol.md leaves open whether a local-only reason is refused once CLOSED.
                    assertThat(reason.isLocalOnly()).as("abort in CLOSED refused: %s", e.getMessage()).isTrue();
                    assertThat(e.winsockError()).isEqualTo(WinsockError.WSAEINVAL);
                }
                assertThat(p.engine.outcome()).as("abort in CLOSED changes nothing").isEqualTo(outcome);
                assertThat(p.engine.pendingOutput()).isEqualTo(output);
                assertThat(p.engine.pollEvent()).isNull();
                return;
            }
            if (reason.isLocalOnly()) {
                command(p, () -> p.engine.abort(reason, "model"), WinsockError.WSAEINVAL);
                return;
            }
            int output = p.engine.pendingOutput();
            p.engine.abort(reason, "model");
            p.aborted = true;
            faults = true;
            assertThat(p.engine.state()).isEqualTo(EngineState.CLOSED);
            CloseIndication outcome = p.engine.outcome().orElseThrow();
            // 4.9, 7.3: aborting while only the acknowledgement of this side's DISCONNECT is awaited is unconfirmed.
            assertThat(outcome.kind()).as("abort in %s", before).isEqualTo(before == EngineState.CLOSING
                    ? CloseIndication.Kind.UNCONFIRMED : CloseIndication.Kind.ABORTED);
            assertThat(outcome.reason()).isEqualTo(reason);
            if (before == EngineState.IDLE) {
                assertThat(p.engine.pendingOutput()).as("an abort in IDLE sends nothing").isEqualTo(output);
            } else {
                pump(p, before);
                assertThat(p.lastAbortReason).as("the ABORT an abort sends").isEqualTo(reason);
            }
        }

        /** The documented error of a command legal only in {@code legal} (connect, accept, reject, defer). */
        WinsockError expect(Peer p, WinsockError otherwise, EngineState legal) {
            EngineState state = p.engine.state();
            if (state == legal) {
                return null;
            }
            return state == EngineState.CLOSED ? closedError(p) : otherwise;
        }

        /**
         * The documented error of send and sendDisconnect by state (docs/protocol.md 7.3): a caller's early
         * messages go with connect, so a send in CONNECTING is refused too.
         */
        WinsockError expectSending(Peer p) {
            return switch (p.engine.state()) {
                case OPEN, RECEIVE_CLOSED -> null;
                case IDLE, CONNECTING, AWAITING_REQUEST, REQUESTED -> WinsockError.WSAENOTCONN;
                case SEND_CLOSED, SEND_CONFIRMED, CLOSING -> WinsockError.WSAESHUTDOWN;
                case CLOSED -> closedError(p);
            };
        }

        static WinsockError closedError(Peer p) {
            CloseIndication outcome = p.engine.outcome().orElseThrow();
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
            from.delivered += n;
            other(from).engine.receive(ByteBuffer.wrap(all, 0, n));
        }

        void end(Peer from, boolean reset) {
            if (from.directionEnded) {
                return;
            }
            Peer to = other(from);
            if (reset) {
                if (from.ackEnd > from.delivered && from.disconnectDelivered() && to.disconnectDelivered()) {
                    ackCut = true;
                }
                from.inFlight.reset();
            } else {
                deliver(from, Integer.MAX_VALUE);
                pump(to, to.stateBefore);
            }
            from.directionEnded = true;
            to.inputEnded = true;
            faults = true;
            EngineState before = to.engine.state();
            to.stateBefore = before; // the bytes delivered first may have moved it (to CLOSING, say)
            if (reset) {
                to.engine.receiveReset("model");
            } else {
                to.engine.receiveEndOfStream();
            }
            EngineState after = to.engine.state();
            assertThat(after).isEqualTo(EngineState.CLOSED);
            if (before != EngineState.CLOSED) {
                // 7.4: never graceful; unconfirmed exactly in CLOSING, where only the acknowledgement is missing.
                CloseIndication outcome = to.engine.outcome().orElseThrow();
                CloseIndication.Kind kind = before == EngineState.CLOSING ? CloseIndication.Kind.UNCONFIRMED
                        : reset ? CloseIndication.Kind.RESET : CloseIndication.Kind.ABORTED;
                assertThat(outcome.kind()).as("%s ends in %s", reset ? "a reset" : "an end of stream", before)
                        .isEqualTo(kind);
                assertThat(outcome.reason())
                        .isEqualTo(reset ? ReasonCode.TRANSPORT_RESET : ReasonCode.TRANSPORT_CLOSED);
                assertThat(outcome.winsockError()).isEqualTo(reset ? WinsockError.WSAECONNRESET
                        : WinsockError.WSAECONNABORTED);
            }
        }

        void timeout(Peer p) {
            EngineState before = p.engine.state();
            int output = p.engine.pendingOutput();
            long deadline = p.engine.deadline();
            p.engine.handleTimeout(now);
            boolean handshake = p.side == Side.CALLER
                    ? before == EngineState.IDLE || before == EngineState.CONNECTING
                    : before == EngineState.AWAITING_REQUEST;
            boolean pendingDue = p.side == Side.CALLEE && before == EngineState.REQUESTED && p.deferred
                    && now - p.lastPending >= PENDING_INTERVAL;
            if (handshake && now >= HANDSHAKE_DEADLINE) {
                p.timedOut = true;
                faults = true;
                assertThat(p.engine.state()).isEqualTo(EngineState.CLOSED);
                assertThat(p.engine.outcome().orElseThrow().kind()).isEqualTo(CloseIndication.Kind.ABORTED);
                assertThat(p.engine.outcome().orElseThrow().reason()).isEqualTo(ReasonCode.TIMED_OUT);
                assertThat(p.engine.outcome().orElseThrow().winsockError()).isEqualTo(WinsockError.WSAETIMEDOUT);
                if (before != EngineState.IDLE) {
                    pump(p, before);
                    assertThat(p.lastAbortReason).as("the ABORT a handshake timeout sends")
                            .isEqualTo(p.side == Side.CALLER ? ReasonCode.WITHDRAWN : ReasonCode.TIMED_OUT);
                }
            } else if (pendingDue) {
                // 4.4, 7.5: PENDING again each second while the request stays deferred.
                assertThat(now).as("due").isGreaterThanOrEqualTo(deadline);
                assertThat(p.engine.state()).isEqualTo(EngineState.REQUESTED);
                assertThat(p.engine.pendingOutput() - output).as("one PENDING").isEqualTo(WireFormat.HEADER_SIZE);
                assertThat(p.engine.deadline()).as("the next PENDING's time").isEqualTo(now + PENDING_INTERVAL);
                pendingRepeated = true;
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
            drain(p);
            if (p.peerDisconnected) {
                assertThat(p.emittedAck).as("%s acknowledged the peer's DISCONNECT as soon as it arrived (4.8)",
                        p.side).isTrue();
            }
        }

        void audit(Peer p, byte[] bytes) {
            Peer o = other(p);
            ByteBuffer in = ByteBuffer.wrap(bytes);
            try {
                Frame frame;
                while ((frame = p.audit.next(in)) != null) {
                    long end = p.emitted + in.position();
                    assertThat(p.emittedFinal).as("%s sent %s after its ABORT or REJECT", p.side, frame.type())
                            .isFalse();
                    if (!p.emittedPreamble) {
                        assertThat(frame).as("%s's stream starts with the preamble", p.side)
                                .isEqualTo(new Frame.Preamble(WireFormat.VERSION, WireFormat.VERSION));
                        p.emittedPreamble = true;
                        continue;
                    }
                    if (p.emittedDisconnect) {
                        assertThat(frame.type()).as("%s sent %s after its DISCONNECT (4.7)", p.side, frame.type())
                                .isIn(FrameType.DISCONNECT_ACK, FrameType.ABORT);
                    }
                    switch (frame) {
                        case Frame.Connect c -> {
                            assertThat(p.side).isEqualTo(Side.CALLER);
                            assertThat(c.earlyLength()).as("the early length CONNECT declares (4.6)")
                                    .isEqualTo(p.declaredEarly);
                            p.emittedConnect = true;
                        }
                        case Frame.Accept a -> p.emittedAccept = true;
                        case Frame.Data d -> assertThat(p.side == Side.CALLER ? p.emittedConnect : p.emittedAccept)
                                .as("%s sent DATA before the connection (or its CONNECT)", p.side).isTrue();
                        case Frame.MessageSize m -> assertThat(p.side == Side.CALLER ? p.emittedConnect
                                : p.emittedAccept).as("%s sent MESSAGE_SIZE too early", p.side).isTrue();
                        case Frame.Disconnect d -> {
                            p.emittedDisconnect = true;
                            p.disconnectEnd = end;
                        }
                        case Frame.DisconnectAck a -> {
                            assertThat(p.emittedAck).as("%s sent a second DISCONNECT_ACK", p.side).isFalse();
                            assertThat(o.disconnectDelivered()).as("%s acknowledged a DISCONNECT that had not arrived",
                                    p.side).isTrue();
                            p.emittedAck = true;
                            p.ackEnd = end;
                        }
                        case Frame.Abort a -> {
                            p.emittedFinal = true;
                            p.lastAbortReason = a.reason();
                            assertThat(ReasonCode.ofWire(a.reasonCode()).isLocalOnly()).isFalse();
                        }
                        case Frame.Reject r -> p.emittedFinal = true;
                        case Frame.Pending pending -> {
                            assertThat(p.lastPending == Long.MIN_VALUE || now - p.lastPending >= PENDING_INTERVAL)
                                    .as("PENDING at most once a second (A5)").isTrue();
                            p.lastPending = now;
                        }
                        case Frame.Preamble preamble -> fail(p.side + " sent a second preamble");
                        case Frame.QosRequest q -> fail(p.side + ", a version 1 engine, sent " + q);
                        case Frame.QosAnswer q -> fail(p.side + ", a version 1 engine, sent " + q);
                    }
                }
            } catch (ProtocolViolationException e) {
                fail(p.side + " emitted an invalid stream: " + e.getMessage());
            }
            assertThat(p.audit.isMidFrame()).as("%s's output ends inside a frame", p.side).isFalse();
            p.emitted += bytes.length;
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
                        assertThat(overBudget).as("a request over the callee's caller-data limit is refused at its "
                                + "CONNECT (4.6)").isFalse();
                        assertThat(r.callerData()).isEqualTo(o.handshakeData);
                        assertThat(r.qos()).isEqualTo(Optional.ofNullable(o.handshakeQos));
                        FrameLimits callerLimits = o.config.receiveLimits();
                        assertThat(p.engine.request().orElseThrow().earlyLength()).isEqualTo(o.declaredEarly);
                        assertThat(p.engine.peerMaxReasonData()).isEqualTo(callerLimits.maxReasonData());
                        assertThat(p.engine.peerMaxCalleeData()).isEqualTo(callerLimits.maxCalleeData());
                        continuedDelivered |= r.callerData().length >= CONTINUED;
                        p.requestSeen = true;
                    }
                    case ProtocolEvent.Accepted a -> {
                        assertThat(p.side).isEqualTo(Side.CALLER);
                        assertThat(a.calleeData()).isEqualTo(o.handshakeData);
                        assertThat(a.grantedQos()).isEqualTo(Optional.ofNullable(o.handshakeQos));
                        continuedDelivered |= a.calleeData().length >= CONTINUED;
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
                        assertThat(o.disconnectDelivered()).as("PeerDisconnected before the DISCONNECT arrived")
                                .isTrue();
                        assertThat(p.received.size()).as("messages delivered before PeerDisconnected")
                                .isEqualTo(o.sent.size());
                        assertThat(d.data()).isEqualTo(o.disconnectData);
                        assertThat(d.peerClosed()).isEqualTo(o.closing);
                        continuedDelivered |= d.data().length >= CONTINUED;
                        p.peerDisconnected = true;
                        p.peerClosing = d.peerClosed();
                    }
                    case ProtocolEvent.Closed c -> closed(p, c.indication());
                    case ProtocolEvent.QosRequested q -> fail(p.side + ", a version 1 engine, reported " + q);
                    case ProtocolEvent.QosAnswered q -> fail(p.side + ", a version 1 engine, reported " + q);
                }
            }
        }

        /** The end of one side, checked against what really crossed between the two. */
        void closed(Peer p, CloseIndication indication) {
            Peer o = other(p);
            p.closed = indication;
            p.held.clear(); // the request ended undecided or refused: its early messages are dropped
            boolean crossedAndConfirmed = p.emittedDisconnect && p.peerDisconnected && o.ackDelivered();
            assertThat(indication.isGraceful()).as("%s: graceful exactly when both DISCONNECTs crossed and its own "
                    + "was acknowledged (own %s, peer's %s, acknowledgement arrived %s): %s", p.side,
                    p.emittedDisconnect, p.peerDisconnected, o.ackDelivered(), indication)
                    .isEqualTo(crossedAndConfirmed);
            if (indication.kind() == CloseIndication.Kind.UNCONFIRMED) {
                unconfirmed = true;
                assertThat(p.stateBefore).as("%s: unconfirmed only in CLOSING", p.side).isEqualTo(EngineState.CLOSING);
                assertThat(p.emittedDisconnect && p.peerDisconnected && !o.ackDelivered())
                        .as("%s: unconfirmed only while just the acknowledgement is missing", p.side).isTrue();
                boolean byTransport = current instanceof End e && peer(e.from()) == o;
                boolean byAbort = current instanceof Abort a && peer(a.side()) == p;
                assertThat(byTransport || byAbort).as("%s: unconfirmed by %s", p.side, current).isTrue();
            }
            if (indication.kind() == CloseIndication.Kind.REFUSED) {
                // 7.2, 7.3: the caller by a REJECT before it was accepted, the callee by its own reject.
                assertThat(p.side == Side.CALLER ? !p.emittedDisconnect && o.emittedFinal && !o.emittedAccept
                        : current instanceof Reject).as("%s refused by %s", p.side, current).isTrue();
            }
        }

        // ---------------------------------------------------------------- invariants

        void checkInvariants() {
            for (Peer p : List.of(caller, callee)) {
                Peer o = other(p);
                EngineState state = p.engine.state();
                assertThat(state == EngineState.CLOSED).as("%s: CLOSED exactly when Closed was reported", p.side)
                        .isEqualTo(p.closed != null);
                assertThat(p.engine.outcome()).isEqualTo(Optional.ofNullable(p.closed));
                assertThat(p.emittedDisconnect).as("%s: a DISCONNECT sent exactly when commanded", p.side)
                        .isEqualTo(p.disconnectData != null);
                if (state != EngineState.CLOSED) {
                    assertThat(p.peerDisconnected).as("%s: PeerDisconnected exactly once the DISCONNECT arrived",
                            p.side).isEqualTo(o.disconnectDelivered());
                    checkTeardownState(p, state);
                }
                assertThat(p.engine.isDisconnectAcknowledged()).as("%s: acknowledged", p.side)
                        .isEqualTo(state == EngineState.SEND_CONFIRMED
                                || p.closed != null && p.closed.isGraceful());
                assertThat(p.engine.isSendingDone()).isEqualTo(EnumSet.of(EngineState.SEND_CLOSED,
                        EngineState.SEND_CONFIRMED, EngineState.CLOSING, EngineState.CLOSED).contains(state));
                assertThat(p.engine.isReceivingDone()).isEqualTo(EnumSet.of(EngineState.RECEIVE_CLOSED,
                        EngineState.CLOSING, EngineState.CLOSED).contains(state));
                assertThat(p.engine.isOutputComplete()).as("%s: all a graceful end sends is encoded", p.side)
                        .isEqualTo(state == EngineState.CLOSING || state == EngineState.CLOSED);
                checkDeadline(p, state);
                if (p.closed != null) {
                    assertThat(p.closed.reason()).as("%s: two correct engines never see a violation: %s",
                            p.side, p.closed).isNotIn(NEVER_BETWEEN_CORRECT_PEERS);
                    if (p.closed.reason() == ReasonCode.DATA_TOO_LARGE) {
                        assertThat(overBudget).as("DATA_TOO_LARGE only for caller data with the early length over "
                                + "the callee's limit, which the caller cannot know").isTrue();
                        assertThat(p.closed.kind()).isEqualTo(p.side == Side.CALLER ? CloseIndication.Kind.REFUSED
                                : CloseIndication.Kind.ABORTED);
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

        /** The teardown state is exactly what crossed: own DISCONNECT sent, the peer's arrived, the ack arrived. */
        void checkTeardownState(Peer p, EngineState state) {
            Peer o = other(p);
            boolean own = p.emittedDisconnect;
            boolean peer = p.peerDisconnected;
            boolean ack = o.ackDelivered();
            assertThat(own && peer && ack).as("%s: not closed although graceful is due", p.side).isFalse();
            EngineState expected;
            if (own && peer) {
                expected = EngineState.CLOSING;
            } else if (own) {
                expected = ack ? EngineState.SEND_CONFIRMED : EngineState.SEND_CLOSED;
            } else if (peer) {
                expected = EngineState.RECEIVE_CLOSED;
            } else {
                assertThat(ack).as("%s: an acknowledgement without a DISCONNECT", p.side).isFalse();
                assertThat(state).isIn(EngineState.IDLE, EngineState.CONNECTING, EngineState.AWAITING_REQUEST,
                        EngineState.REQUESTED, EngineState.OPEN);
                return;
            }
            assertThat(state).as("%s: own DISCONNECT %s, peer's arrived %s, acknowledgement arrived %s", p.side,
                    own, peer, ack).isEqualTo(expected);
        }

        /** The handshake deadline while it runs; a deferred request's next PENDING; else none (7.5). */
        void checkDeadline(Peer p, EngineState state) {
            long expected = switch (state) {
                case IDLE, CONNECTING, AWAITING_REQUEST -> HANDSHAKE_DEADLINE;
                case REQUESTED -> p.deferred ? p.lastPending + PENDING_INTERVAL : Long.MAX_VALUE;
                default -> Long.MAX_VALUE;
            };
            assertThat(p.engine.deadline()).as("%s: deadline in %s", p.side, state).isEqualTo(expected);
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
