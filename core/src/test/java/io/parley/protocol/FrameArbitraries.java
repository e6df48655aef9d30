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
import java.util.Random;

/** Generators of valid frames, with every field drawn from its full wire range. */
final class FrameArbitraries {
    /** Limits large enough for every generated frame. */
    static final FrameLimits WIDE = new FrameLimits(WireFormat.MAX_USER_DATA, WireFormat.MAX_USER_DATA,
            WireFormat.MAX_USER_DATA, 1 << 20);

    private FrameArbitraries() {
    }

    /** Bytes of a length up to {@code max}, mostly short; filled from a seed so big arrays stay cheap. */
    static Arbitrary<byte[]> bytes(int max) {
        Arbitrary<Integer> sizes = Arbitraries.integers().between(0, max)
                .withDistribution(RandomDistribution.biased()).edgeCases(c -> c.includeOnly(0, 1, max));
        return Combinators.combine(sizes, Arbitraries.longs()).as((size, seed) -> {
            byte[] b = new byte[size];
            new Random(seed).nextBytes(b);
            return b;
        });
    }

    static Arbitrary<Long> u32() {
        return Arbitraries.longs().between(0, 0xFFFF_FFFFL);
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

    static Arbitrary<Frame.Connect> connect() {
        return Combinators.combine(u32(), Arbitraries.integers().between(0, 0xFFFF),
                        Arbitraries.integers().between(0, 0xFFFF), qos().injectNull(0.4),
                        group(Arbitraries.of(GroupKind.class)).injectNull(0.4), bytes(WireFormat.MAX_USER_DATA))
                .as(Frame.Connect::new);
    }

    static Arbitrary<Frame.Accept> accept() {
        // ACCEPT carries only the group's id and priority: the kind of a group result is always JOIN.
        return Combinators.combine(u32(), Arbitraries.integers().between(0, 0xFFFF), qos().injectNull(0.4),
                        group(Arbitraries.just(GroupKind.JOIN)).injectNull(0.4), bytes(WireFormat.MAX_USER_DATA))
                .as(Frame.Accept::new);
    }

    static Arbitrary<Integer> reasonCode() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 13), Arbitraries.integers().between(0, 0xFFFF));
    }

    static Arbitrary<Frame.Reject> reject() {
        return Combinators.combine(reasonCode(), bytes(WireFormat.MAX_REASON_DATA)).as(Frame.Reject::new);
    }

    static Arbitrary<Frame.Abort> abort() {
        return Combinators.combine(reasonCode(), bytes(WireFormat.MAX_REASON_DATA)).as(Frame.Abort::new);
    }

    static Arbitrary<Frame.Data> data() {
        return Combinators.combine(Arbitraries.of(true, false), bytes(WireFormat.MAX_PAYLOAD)).as(Frame.Data::new);
    }

    static Arbitrary<Frame.Disconnect> disconnect() {
        return Combinators.combine(Arbitraries.of(true, false), bytes(WireFormat.MAX_USER_DATA))
                .as(Frame.Disconnect::new);
    }

    /** Any single frame of any type except the preamble. */
    static Arbitrary<Frame> anyFrame() {
        return Arbitraries.oneOf(connect(), accept(), reject(), Arbitraries.just(new Frame.Pending()), data(),
                disconnect(), abort(),
                Arbitraries.longs().between(0, WIDE.maxMessageSize()).map(Frame.MessageSize::new),
                Arbitraries.just(new Frame.CloseSeen()));
    }

    /**
     * A frame sequence a decoder accepts: messages are whole (fragments with MORE, then one without), some
     * announced by a MESSAGE_SIZE of their exact size, and only CLOSE_SEEN appears inside a message (before its
     * last DATA frame: after its MESSAGE_SIZE or between its fragments).
     */
    static Arbitrary<List<Frame>> validSequence() {
        Arbitrary<List<Frame>> message = Combinators.combine(bytes(2000).list().ofMaxSize(4),
                Arbitraries.of(true, false), Arbitraries.of(true, false)).as((parts, announce, closeSeen) -> {
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
            if (closeSeen) {
                fragments.add(fragments.size() - 1, new Frame.CloseSeen());
            }
            return fragments;
        });
        Arbitrary<List<Frame>> single = Arbitraries.oneOf(connect(), accept(), reject(),
                Arbitraries.just(new Frame.Pending()), disconnect(), abort(), Arbitraries.just(new Frame.CloseSeen()))
                .map(List::of);
        return Arbitraries.frequencyOf(Tuple.of(3, message), Tuple.of(2, single))
                .list().ofMaxSize(8)
                .map(groups -> groups.stream().flatMap(List::stream).toList());
    }
}
