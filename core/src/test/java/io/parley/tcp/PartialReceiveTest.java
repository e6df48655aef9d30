package io.parley.tcp;

import io.parley.MessagePart;
import io.parley.ParleyConnection;
import io.parley.WouldBlockException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Receiving into the caller's buffer, piece by piece (MSG_PARTIAL) [P2]: boundaries are kept, nothing is
 * truncated, and the pieces mix with whole receives.
 */
@Timeout(60)
class PartialReceiveTest {

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void aMessageLargerThanTheBufferArrivesInPartsEachButTheLastPartial() throws Exception {
        try (LoopbackFixture fixture = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = fixture.pair();
            byte[] message = randomBytes(1_000_000, 1);
            pair.client().send(message);
            pair.client().send(new byte[] {7});

            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            int partials = 0;
            MessagePart part;
            do {
                buffer.clear();
                part = pair.server().receive(buffer);
                received.write(buffer.array(), 0, buffer.position());
                if (part == MessagePart.PARTIAL) {
                    partials++;
                    assertThat(buffer.hasRemaining()).as("a part ends only when the buffer is full").isFalse();
                }
                assertThat(partials).isLessThanOrEqualTo(message.length / buffer.capacity());
            } while (part == MessagePart.PARTIAL);

            assertThat(part).isEqualTo(MessagePart.MESSAGE_END);
            assertThat(partials).isEqualTo(message.length / buffer.capacity());
            assertThat(received.toByteArray()).isEqualTo(message);
            buffer.clear();
            assertThat(pair.server().receive(buffer)).isEqualTo(MessagePart.MESSAGE_END);
            assertThat(buffer.flip().get()).isEqualTo((byte) 7); // the next message starts fresh
        }
    }

    @Test
    void aWholeReceiveAfterAPartialOneReturnsTheRestOfThatMessage() throws Exception {
        try (LoopbackFixture fixture = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = fixture.pair();
            byte[] message = randomBytes(10_000, 2);
            pair.client().send(message);

            ByteBuffer head = ByteBuffer.allocate(4000);
            assertThat(pair.server().receive(head)).isEqualTo(MessagePart.PARTIAL);
            byte[] rest = pair.server().receive();

            assertThat(head.array()).isEqualTo(Arrays.copyOf(message, 4000));
            assertThat(rest).isEqualTo(Arrays.copyOfRange(message, 4000, message.length));
        }
    }

    @Test
    void anEmptyMessageEndsAtOnceAndTheDisconnectDeliversNothing() throws Exception { // D2
        try (LoopbackFixture fixture = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = fixture.pair();
            pair.client().send(new byte[0]);
            pair.client().sendDisconnect(new byte[] {1});

            ByteBuffer buffer = ByteBuffer.allocate(16);
            assertThat(pair.server().receive(buffer)).isEqualTo(MessagePart.MESSAGE_END);
            assertThat(buffer.position()).isZero();
            assertThat(pair.server().receive(buffer)).isEqualTo(MessagePart.DISCONNECTED);
            assertThat(buffer.position()).isZero();
            assertThat(pair.server().receiveDisconnect()).containsExactly(1);
        }
    }

    @Test
    void aBufferWithNoRoomReceivesNothingAndLosesNothing() throws Exception {
        try (LoopbackFixture fixture = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = fixture.pair();
            pair.client().send(new byte[] {1, 2, 3});

            assertThatThrownBy(() -> pair.server().receive(ByteBuffer.allocate(0)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(pair.server().receive()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void nonBlockingPartialReceiveSaysWouldBlockAndLeavesTheBufferAlone() throws Exception {
        try (LoopbackFixture fixture = new LoopbackFixture()) {
            LoopbackFixture.Pair pair = fixture.pair();
            ParleyConnection server = pair.server();
            server.configureBlocking(false);
            ByteBuffer buffer = ByteBuffer.allocate(8);

            assertThatThrownBy(() -> server.receive(buffer)).isInstanceOf(WouldBlockException.class);
            assertThat(buffer.position()).isZero();
            assertThat(server.isBlocking()).isFalse();
            server.configureBlocking(true);
            pair.client().send(new byte[] {5});
            assertThat(server.receive(buffer)).isEqualTo(MessagePart.MESSAGE_END);
        }
    }
}
