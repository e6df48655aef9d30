package io.parley.protocol;

import io.parley.ReasonCode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ProtocolEngine#pollMessage} and {@link ProtocolEngine#pollEvent} share one queue, in wire order. */
class PollMessageTest {

    @Test
    void pollMessageTakesOnlyAMessageAndLeavesAnyOtherEventQueued() {
        ProtocolEngine engine = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.OPEN);
        assertThat(engine.pollMessage()).as("nothing queued").isNull();
        engine.receive(ByteBuffer.wrap(Engines.bytes(data("a", false), data("b", true), data("c", false),
                new Frame.Disconnect(false, bytes("bye")))));

        assertThat(engine.pollMessage()).isEqualTo(bytes("a"));
        assertThat(engine.pollMessage()).as("joined from two fragments").isEqualTo(bytes("bc"));
        assertThat(engine.pollMessage()).as("the next event is not a message").isNull();
        assertThat(engine.pollMessage()).as("and it stays queued").isNull();
        assertThat(engine.pollEvent()).isInstanceOfSatisfying(ProtocolEvent.PeerDisconnected.class,
                d -> assertThat(d.data()).isEqualTo(bytes("bye")));
        assertThat(engine.pollEvent()).isNull();
    }

    @Test
    void pollEventWrapsAMessageQueuedWithoutItsEvent() {
        ProtocolEngine engine = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.OPEN);
        engine.receive(ByteBuffer.wrap(Engines.bytes(data("x", false), data("", false))));

        assertThat(engine.pollEvent()).isInstanceOfSatisfying(ProtocolEvent.MessageReceived.class,
                m -> assertThat(m.message()).isEqualTo(bytes("x")));
        assertThat(engine.pollMessage()).as("an empty message").isEmpty();
        assertThat(engine.pollEvent()).isNull();
    }

    @Test
    void messagesBeforeAnEndComeBeforeItsClosedEvent() {
        ProtocolEngine engine = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.OPEN);
        engine.receive(ByteBuffer.wrap(Engines.bytes(data("late", false), new Frame.Abort(9, new byte[0]))));

        assertThat(engine.pollMessage()).isEqualTo(bytes("late"));
        assertThat(engine.pollMessage()).isNull();
        assertThat(engine.pollEvent()).isInstanceOf(ProtocolEvent.Closed.class);
    }

    /**
     * Any mix of messages (however fragmented) and other events, drained by any mix of pollMessage and
     * pollEvent, between any of the receive calls: the same events in the same order as pollEvent alone.
     */
    @Property(tries = 300)
    void anyMixOfPollsSeesTheEventsInWireOrder(@ForAll("streams") Stream stream,
                                              @ForAll("strategies") List<Boolean> preferMessage) {
        ProtocolEngine reference = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.OPEN);
        reference.receive(ByteBuffer.wrap(stream.wire()));
        List<String> expected = Engines.events(reference).stream().map(PollMessageTest::describe).toList();

        ProtocolEngine engine = Engines.in(ProtocolEngine.Role.CALLEE, EngineState.OPEN);
        List<String> seen = new ArrayList<>();
        int choice = 0;
        byte[] wire = stream.wire();
        for (int at = 0; at < wire.length; at += stream.piece()) {
            engine.receive(ByteBuffer.wrap(wire, at, Math.min(stream.piece(), wire.length - at)));
            while (true) {
                boolean message = preferMessage.get(choice++ % preferMessage.size());
                if (message) {
                    byte[] m = engine.pollMessage();
                    if (m != null) {
                        seen.add(describe(new ProtocolEvent.MessageReceived(m)));
                        continue;
                    }
                }
                ProtocolEvent event = engine.pollEvent();
                if (event == null) {
                    break;
                }
                seen.add(describe(event));
            }
        }
        assertThat(seen).isEqualTo(expected);
    }

    /** A wire stream for an OPEN engine, and the size of the pieces it arrives in. */
    record Stream(byte[] wire, int piece) {
    }

    @Provide
    Arbitrary<Stream> streams() {
        Arbitrary<byte[]> message = FrameArbitraries.bytes(20);
        Arbitrary<Integer> fragment = Arbitraries.integers().between(1, 9);
        Arbitrary<byte[]> messageFrames = Combinators.combine(message, fragment)
                .as(PollMessageTest::fragmented);
        Arbitrary<byte[]> ignorable = Arbitraries.just(new byte[] {(byte) 0xF0, 0, 0, 1, 7});
        Arbitrary<List<byte[]>> body = Arbitraries.frequencyOf(
                Tuple.of(6, messageFrames), Tuple.of(1, ignorable)).list().ofMaxSize(12);
        Arbitrary<byte[]> ending = Arbitraries.of(new byte[0],
                FrameEncoder.toBytes(new Frame.Disconnect(true, bytes("end"))),
                FrameEncoder.toBytes(new Frame.Abort(ReasonCode.APPLICATION_ABORT.code(), new byte[0])));
        return Combinators.combine(body, ending, Arbitraries.integers().between(1, 40))
                .as((frames, end, piece) -> {
                    ByteArrayOutputStream wire = new ByteArrayOutputStream();
                    frames.forEach(wire::writeBytes);
                    wire.writeBytes(end);
                    return new Stream(wire.toByteArray(), piece);
                });
    }

    @Provide
    Arbitrary<List<Boolean>> strategies() {
        return Arbitraries.of(true, false).list().ofMinSize(1).ofMaxSize(8);
    }

    private static byte[] fragmented(byte[] message, int fragment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        do {
            int count = Math.min(fragment, message.length - at);
            byte[] part = Arrays.copyOfRange(message, at, at + count);
            at += count;
            out.writeBytes(FrameEncoder.toBytes(new Frame.Data(at < message.length, part)));
        } while (at < message.length);
        return out.toByteArray();
    }

    private static String describe(ProtocolEvent event) {
        return switch (event) {
            case ProtocolEvent.MessageReceived m -> "message " + Hex.of(m.message());
            case ProtocolEvent.PeerDisconnected d -> "disconnected " + d.peerClosed() + " " + Hex.of(d.data());
            case ProtocolEvent.Closed c -> "closed " + c.indication().kind() + " " + c.indication().reason();
            default -> throw new AssertionError("not expected in OPEN: " + event);
        };
    }

    private static Frame.Data data(String text, boolean more) {
        return new Frame.Data(more, bytes(text));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
