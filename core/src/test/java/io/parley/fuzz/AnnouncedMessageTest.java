package io.parley.fuzz;

import io.parley.protocol.EngineConfig;
import io.parley.protocol.Frame;
import io.parley.protocol.FrameEncoder;
import io.parley.protocol.ProtocolEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a receiver holds and allocates for a message announced by MESSAGE_SIZE (docs/protocol.md, 4.9): at
 * most 1 MiB before more than that has arrived, then exactly the announced size, handed out without a copy.
 */
class AnnouncedMessageTest {
    private static final int MIB = 1 << 20;
    private static final int FRAGMENT = 0xFFFF;

    @Test
    @Timeout(30)
    void aLargeAnnouncedMessageHoldsAtMostOneMibUntilMoreArrivesThenExactlyItsSize() {
        int size = 3 * MIB + 5;
        ProtocolEngine engine = ProtocolFindingsTest.openCallee(EngineConfig.DEFAULT_LIMITS);
        engine.receive(ByteBuffer.wrap(FrameEncoder.toBytes(new Frame.MessageSize(size))));
        assertThat(Internals.partialMessage(engine)).as("nothing allocated before the first fragment").isZero();

        int received = 0;
        while (received + FRAGMENT <= MIB) {
            engine.receive(fragment(FRAGMENT, true));
            received += FRAGMENT;
            assertThat(Internals.partialMessage(engine)).as("after %d bytes", received).isEqualTo(MIB);
        }
        engine.receive(fragment(FRAGMENT, true));
        received += FRAGMENT;
        assertThat(Internals.partialMessage(engine)).as("past 1 MiB: the announced size").isEqualTo(size);
        while (size - received > FRAGMENT) {
            engine.receive(fragment(FRAGMENT, true));
            received += FRAGMENT;
        }
        engine.receive(fragment(size - received, false));
        assertThat(engine.pollMessage()).hasSize(size);
        assertThat(Internals.partialMessage(engine)).as("nothing held between messages").isZero();
    }

    @Test
    @Timeout(30)
    void receivingAnAnnouncedMessageAllocatesItOnce() {
        int size = MIB;
        byte[] wire = announced(size);
        ProtocolEngine warm = ProtocolFindingsTest.openCallee(EngineConfig.DEFAULT_LIMITS);
        warm.receive(ByteBuffer.wrap(wire));
        assertThat(warm.pollMessage()).hasSize(size);

        ProtocolEngine engine = ProtocolFindingsTest.openCallee(EngineConfig.DEFAULT_LIMITS);
        ByteBuffer in = ByteBuffer.wrap(wire);
        long before = Internals.allocatedByThisThread();
        engine.receive(in);
        byte[] message = engine.pollMessage();
        long allocated = Internals.allocatedByThisThread() - before;
        assertThat(message).hasSize(size);
        if (before >= 0) {
            assertThat(allocated).as("bytes allocated receiving a 1 MiB message").isBetween((long) size, size + 4096L);
        }
    }

    @Test
    void aSmallAnnouncedMessageIsAllocatedAtItsSize() {
        ProtocolEngine engine = ProtocolFindingsTest.openCallee(EngineConfig.DEFAULT_LIMITS);
        engine.receive(ByteBuffer.wrap(FrameEncoder.toBytes(new Frame.MessageSize(20))));
        engine.receive(fragment(8, true));
        assertThat(Internals.partialMessage(engine)).isEqualTo(20);
        engine.receive(fragment(12, false));
        assertThat(engine.pollMessage()).hasSize(20);
    }

    /** MESSAGE_SIZE, then {@code size} bytes in the largest fragments. */
    private static byte[] announced(int size) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(FrameEncoder.toBytes(new Frame.MessageSize(size)));
        for (int at = 0; at < size; at += FRAGMENT) {
            int count = Math.min(FRAGMENT, size - at);
            wire.writeBytes(FrameEncoder.toBytes(new Frame.Data(at + count < size, new byte[count])));
        }
        return wire.toByteArray();
    }

    private static ByteBuffer fragment(int length, boolean more) {
        return ByteBuffer.wrap(FrameEncoder.toBytes(new Frame.Data(more, new byte[length])));
    }
}
