package io.parley.protocol;

import io.parley.FlowSpec;
import io.parley.Group;
import io.parley.GroupKind;
import io.parley.Qos;
import io.parley.ServiceType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** Generators of valid frames, with every field drawn from its full wire range. */
final class FrameArbitraries {
    /** Limits large enough for every generated frame. */
    static final FrameLimits WIDE = new FrameLimits(WireFormat.MAX_USER_DATA, WireFormat.MAX_USER_DATA,
            WireFormat.MAX_USER_DATA, WireFormat.MAX_USER_DATA, 1 << 20);

    private FrameArbitraries() {
    }

    /** Bytes of a length up to {@code max}, mostly short; filled from a seed so big arrays stay cheap. */
    static Arbitrary<byte[]> bytes(int max) {
        return filled(Arbitraries.integers().between(0, max)
                .withDistribution(RandomDistribution.biased()).edgeCases(c -> c.includeOnly(0, 1, max)));
    }

    /**
     * User data (caller, callee, reason or disconnect data): mostly short, often just below, at or above what
     * the first frame holds (65,535 bytes less its fields, docs/protocol.md 4.5) or one CONTINUATION more, and
     * sometimes spanning several CONTINUATIONs.
     */
    static Arbitrary<byte[]> userData() {
        int one = WireFormat.MAX_PAYLOAD;
        return filled(Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.integers().between(0, 300)),
                Tuple.of(2, Arbitraries.integers().between(one - 100, one + 100)),
                Tuple.of(1, Arbitraries.integers().between(2 * one - 100, 2 * one + 100)),
                Tuple.of(1, Arbitraries.integers().between(0, 300_000))));
    }

    private static Arbitrary<byte[]> filled(Arbitrary<Integer> sizes) {
        return Combinators.combine(sizes, Arbitraries.longs()).as((size, seed) -> {
            byte[] b = new byte[size];
            new Random(seed).nextBytes(b);
            return b;
        });
    }

    static Arbitrary<Long> u32() {
        return Arbitraries.longs().between(0, 0xFFFF_FFFFL);
    }

    /** An advertised user-data limit: any value the protocol allows (docs/protocol.md 6, hard maxima). */
    static Arbitrary<Integer> userDataLimit(int min) {
        return Arbitraries.integers().between(min, WireFormat.MAX_USER_DATA)
                .edgeCases(c -> c.includeOnly(min, WireFormat.MAX_USER_DATA));
    }

    static Arbitrary<FlowSpec> flowSpec() {
        Arbitrary<Long> field = Arbitraries.oneOf(u32(), Arbitraries.just(FlowSpec.NOT_SPECIFIED));
        Arbitrary<ServiceType> type = Arbitraries.of(ServiceType.class);
        Arbitrary<Integer> flags = Arbitraries.oneOf(
                Arbitraries.of(0, FlowSpec.SERVICE_NO_TRAFFIC_CONTROL, FlowSpec.SERVICE_NO_QOS_SIGNALING,
                        FlowSpec.SERVICE_NO_TRAFFIC_CONTROL | FlowSpec.SERVICE_NO_QOS_SIGNALING),
                Arbitraries.integers().between(0, 0xFF).map(b -> b << 24));
        Arbitrary<long[]> numbers = field.array(long[].class).ofSize(7);
        return Combinators.combine(numbers, type, flags).as((n, t, f) -> new FlowSpec(n[0], n[1], n[2], n[3], n[4],
                t, t == ServiceType.NOT_SPECIFIED ? 0 : f, n[5], n[6]));
    }

    static Arbitrary<Qos> qos() {
        return Combinators.combine(flowSpec(), flowSpec()).as(Qos::new);
    }

    static Arbitrary<Group> group(Arbitrary<GroupKind> kinds) {
        return Combinators.combine(kinds, u32(), Arbitraries.integers().between(0, 0xFFFF)).as(Group::new);
    }

    /**
     * A CONNECT the {@link #WIDE} limits accept: its caller data and early length together at most the
     * protocol's maximum (docs/protocol.md 4.6), its max reason data at least 1024.
     */
    static Arbitrary<Frame.Connect> connect() {
        Arbitrary<Long> early = Arbitraries.longs().between(0, WireFormat.MAX_USER_DATA)
                .edgeCases(c -> c.includeOnly(0L, (long) WireFormat.MAX_USER_DATA));
        return Combinators.combine(u32(), userDataLimit(0), userDataLimit(0),
                        userDataLimit(WireFormat.MIN_REASON_DATA_LIMIT), early, qos().injectNull(0.4),
                        group(Arbitraries.of(GroupKind.class)).injectNull(0.4), userData())
                .as((maxMessage, maxCallee, maxDisconnect, maxReason, earlyLength, qos, group, data) ->
                        new Frame.Connect(maxMessage, maxCallee, maxDisconnect, maxReason,
                                Math.min(earlyLength, WireFormat.MAX_USER_DATA - data.length), Optional.ofNullable(qos),
                                Optional.ofNullable(group), data));
    }

    static Arbitrary<Frame.Accept> accept() {
        // As version 2 has it (the codec properties decode in version 2): the group's kind, id and priority.
        return Combinators.combine(u32(), userDataLimit(0), qos().injectNull(0.4),
                        group(Arbitraries.of(GroupKind.UNCONSTRAINED, GroupKind.CONSTRAINED)).injectNull(0.4), userData())
                .as((maxMessage, maxDisconnect, qos, group, data) -> new Frame.Accept(maxMessage, maxDisconnect,
                        Optional.ofNullable(qos), Optional.ofNullable(group), data));
    }

    static Arbitrary<Integer> reasonCode() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 13), Arbitraries.integers().between(0, 0xFFFF));
    }

    static Arbitrary<Frame.Reject> reject() {
        return Combinators.combine(reasonCode(), userData()).as(Frame.Reject::new);
    }

    static Arbitrary<Frame.Abort> abort() {
        return Combinators.combine(reasonCode(), bytes(WireFormat.MAX_ABORT_REASON_DATA)).as(Frame.Abort::new);
    }

    static Arbitrary<Frame.Data> data() {
        return Combinators.combine(Arbitraries.of(true, false), bytes(WireFormat.MAX_PAYLOAD)).as(Frame.Data::new);
    }

    /** A QOS_REQUEST (version 2) for any QoS. */
    static Arbitrary<Frame> qosRequest() {
        return qos().map(Frame.QosRequest::new);
    }

    /** A QOS_ANSWER (version 2): a grant of any QoS, or a refusal with any reason value. */
    static Arbitrary<Frame> qosAnswer() {
        return Arbitraries.oneOf(qos().map(q -> new Frame.QosAnswer(Optional.of(q), 0)),
                Arbitraries.integers().between(0, 0xFFFF).map(r -> new Frame.QosAnswer(Optional.empty(), r)));
    }

    static Arbitrary<Frame.Disconnect> disconnect() {
        return Combinators.combine(Arbitraries.of(true, false), userData()).as(Frame.Disconnect::new);
    }

    /** Any single frame of any type except the preamble (CONTINUATION is part of the frame it continues). */
    static Arbitrary<Frame> anyFrame() {
        return Arbitraries.oneOf(connect(), accept(), reject(), Arbitraries.just(new Frame.Pending()), data(),
                disconnect(), abort(),
                Arbitraries.longs().between(0, WIDE.maxMessageSize()).map(Frame.MessageSize::new),
                Arbitraries.just(new Frame.DisconnectAck()), qosRequest(), qosAnswer());
    }

    /**
     * A frame sequence a decoder accepts: messages are whole (fragments with MORE, then one without), some
     * announced by a MESSAGE_SIZE of their exact size, and only ABORT appears inside a message (before its
     * last DATA frame: after its MESSAGE_SIZE or between its fragments, docs/protocol.md 4.6 and 4.11).
     */
    static Arbitrary<List<Frame>> validSequence() {
        Arbitrary<List<Frame>> message = Combinators.combine(bytes(2000).list().ofMaxSize(4),
                Arbitraries.of(true, false), Arbitraries.of(true, false), abort()).as((parts, announce, abort, a) -> {
            List<Frame> fragments = new ArrayList<>();
            if (announce) {
                fragments.add(new Frame.MessageSize(parts.stream().mapToLong(part -> part.length).sum()));
            }
            for (int i = 0; i < parts.size(); i++) {
                fragments.add(new Frame.Data(i < parts.size() - 1, parts.get(i)));
            }
            if (parts.isEmpty()) {
                fragments.add(new Frame.Data(false, new byte[0]));
            }
            if (abort) {
                fragments.add(fragments.size() - 1, a);
            }
            return fragments;
        });
        Arbitrary<List<Frame>> single = Arbitraries.oneOf(connect(), accept(), reject(),
                Arbitraries.just(new Frame.Pending()), disconnect(), abort(), Arbitraries.just(new Frame.DisconnectAck()),
                qosRequest(), qosAnswer())
                .map(List::of);
        return Arbitraries.frequencyOf(Tuple.of(3, message), Tuple.of(2, single))
                .list().ofMaxSize(8)
                .map(groups -> groups.stream().flatMap(List::stream).toList());
    }
}
