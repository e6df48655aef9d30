package io.parley.protocol;

import io.parley.ReasonCode;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Focused decoder behaviour: bounded memory, user data joined from CONTINUATIONs, and a decoder that failed stays failed. */
class FrameDecoderTest {

    @Test
    void aHugeDeclaredDisconnectIsRefusedFromItsHeaderAlone() throws ProtocolViolationException {
        FrameDecoder decoder = CodecPropertiesTest.afterPreamble(EngineConfig.DEFAULT_LIMITS);
        byte[] header = {0x20, 0, (byte) 0xFF, (byte) 0xFF};
        for (int i = 0; i < 3; i++) {
            assertThat(decoder.next(ByteBuffer.wrap(header, i, 1))).isNull();
        }
        assertThatThrownBy(() -> decoder.next(ByteBuffer.wrap(header, 3, 1)))
                .isInstanceOfSatisfying(ProtocolViolationException.class,
                        e -> assertThat(e.reason()).isEqualTo(ReasonCode.DATA_TOO_LARGE));
    }

    /**
     * User data is judged by its declared total at the end of the first frame (docs/protocol.md 4.5, 6): a
     * DISCONNECT of four bytes declaring 65,536 bytes of disconnect data is refused at its last byte, before any
     * CONTINUATION is read.
     */
    @Test
    void aDisconnectDeclaringMoreThanTheLimitIsRefusedAtTheEndOfItsFirstFrame() throws ProtocolViolationException {
        FrameDecoder decoder = CodecPropertiesTest.afterPreamble(EngineConfig.DEFAULT_LIMITS);
        byte[] first = {0x20, 0, 0, 4, 0, 1, 0, 0};
        for (int i = 0; i < first.length - 1; i++) {
            assertThat(decoder.next(ByteBuffer.wrap(first, i, 1))).isNull();
        }
        assertThatThrownBy(() -> decoder.next(ByteBuffer.wrap(first, first.length - 1, 1)))
                .isInstanceOfSatisfying(ProtocolViolationException.class,
                        e -> assertThat(e.reason()).isEqualTo(ReasonCode.DATA_TOO_LARGE));
    }

    @Test
    void userDataSplitOverContinuationsIsJoinedIntoOneFrame() throws ProtocolViolationException {
        FrameDecoder decoder = CodecPropertiesTest.afterPreamble(EngineConfig.DEFAULT_LIMITS);
        // REJECT, reason 1, 5 bytes of reason data: "ab" in the frame, "" and "cde" in CONTINUATIONs.
        byte[] stream = Hex.parse("0300 0008 0001 00000005 6162" + "0500 0000" + "0500 0003 636465");
        ByteBuffer in = ByteBuffer.wrap(stream);
        Frame frame = decoder.next(in);
        assertThat(frame).isInstanceOfSatisfying(Frame.Reject.class, r -> {
            assertThat(r.reasonCode()).isEqualTo(1);
            assertThat(r.reasonData()).isEqualTo("abcde".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        });
        assertThat(in.hasRemaining()).isFalse();
        assertThat(decoder.isMidFrame()).isFalse();
    }

    /**
     * A peer that declares large user data and sends little of it makes the receiver hold at most 1 MiB
     * (docs/protocol.md 4.5): a DISCONNECT declaring 16 MiB, with 60,000 bytes sent.
     */
    @Test
    void largeDeclaredUserDataIsNotAllocatedUpFront() throws ProtocolViolationException {
        LongSupplier allocatedBytes = currentThreadAllocatedBytes();
        assumeThat(allocatedBytes).as("this JVM measures allocation per thread").isNotNull();
        FrameDecoder decoder = CodecPropertiesTest.afterPreamble(FrameArbitraries.WIDE);
        ByteBuffer first = ByteBuffer.allocate(8).put(new byte[] {0x20, 0, 0, 4}).putInt(WireFormat.MAX_USER_DATA)
                .flip();
        byte[] continuation = new byte[WireFormat.HEADER_SIZE + 60_000];
        continuation[0] = 0x05;
        continuation[2] = (byte) (60_000 >>> 8);
        continuation[3] = (byte) 60_000;

        long before = allocatedBytes.getAsLong();
        assertThat(decoder.next(first)).isNull();
        assertThat(decoder.next(ByteBuffer.wrap(continuation))).isNull();
        long allocated = allocatedBytes.getAsLong() - before;

        assertThat(decoder.isMidFrame()).isTrue();
        assertThat(allocated).as("bytes allocated for 16 MiB declared, 60,000 sent").isLessThan((1 << 20) + 16 * 1024);
    }

    @Test
    void aFailedDecoderKeepsFailingWithTheSameViolation() throws ProtocolViolationException {
        FrameDecoder decoder = CodecPropertiesTest.afterPreamble(EngineConfig.DEFAULT_LIMITS);
        ProtocolViolationException first = null;
        try {
            decoder.next(ByteBuffer.wrap(new byte[] {0x06, 0, 0, 0})); // an unknown core frame type
        } catch (ProtocolViolationException e) {
            first = e;
        }
        assertThat(first).isNotNull();
        ProtocolViolationException same = first;
        assertThatThrownBy(() -> decoder.next(ByteBuffer.wrap(Engines.bytes(new Frame.Pending())))).isSameAs(same);
        assertThat(decoder.isMidFrame()).isFalse();
    }

    @Test
    void skippingALargeUnknownFrameAllocatesNothingForItsPayload() throws ProtocolViolationException {
        LongSupplier allocatedBytes = currentThreadAllocatedBytes();
        assumeThat(allocatedBytes).as("this JVM measures allocation per thread").isNotNull();
        byte[] chunk = new byte[1024];
        ByteBuffer[] chunks = new ByteBuffer[64];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = ByteBuffer.wrap(chunk, 0, i == chunks.length - 1 ? 1023 : 1024);
        }
        ByteBuffer header = ByteBuffer.wrap(new byte[] {(byte) 0x80, 0, (byte) 0xFF, (byte) 0xFF});
        FrameDecoder decoder = CodecPropertiesTest.afterPreamble(EngineConfig.DEFAULT_LIMITS);

        long before = allocatedBytes.getAsLong();
        assertThat(decoder.next(header)).isNull();
        for (ByteBuffer c : chunks) {
            assertThat(decoder.next(c)).isNull();
        }
        long allocated = allocatedBytes.getAsLong() - before;

        assertThat(decoder.isMidFrame()).as("the 65535-byte frame was skipped").isFalse();
        assertThat(allocated).as("bytes allocated while skipping 65535 bytes").isLessThan(16 * 1024);
    }

    /**
     * HotSpot's per-thread allocation counter, found by reflection: the tests are compiled inside the io.parley
     * module, which does not read java.management, but run on the class path where it is available. Null if
     * the JVM has no such counter.
     */
    private static LongSupplier currentThreadAllocatedBytes() {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                    .invoke(null);
            Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
            if (!type.isInstance(bean) || !(boolean) type.getMethod("isThreadAllocatedMemoryEnabled").invoke(bean)) {
                return null;
            }
            Method method = type.getMethod("getCurrentThreadAllocatedBytes");
            return () -> {
                try {
                    return (long) method.invoke(bean);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            };
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    @Test
    void aPartialFrameIsReportedUntilItCompletes() throws ProtocolViolationException {
        FrameDecoder decoder = new FrameDecoder(EngineConfig.DEFAULT_LIMITS);
        assertThat(decoder.isMidFrame()).isFalse();
        decoder.next(ByteBuffer.wrap(Engines.PREAMBLE, 0, 1));
        assertThat(decoder.isMidFrame()).as("inside the preamble").isTrue();
        decoder.next(ByteBuffer.wrap(Engines.PREAMBLE, 1, Engines.PREAMBLE.length - 1));
        assertThat(decoder.isMidFrame()).isFalse();
        byte[] data = Engines.bytes(new Frame.Data(false, new byte[] {1, 2, 3}));
        assertThat(decoder.next(ByteBuffer.wrap(data, 0, 2))).isNull();
        assertThat(decoder.isMidFrame()).as("inside a header").isTrue();
        assertThat(decoder.next(ByteBuffer.wrap(data, 2, 3))).isNull();
        assertThat(decoder.isMidFrame()).as("inside a payload").isTrue();
        assertThat(decoder.next(ByteBuffer.wrap(data, 5, 2))).isInstanceOf(Frame.Data.class);
        assertThat(decoder.isMidFrame()).isFalse();
        byte[] disconnect = Hex.parse("2000 0005 00000002 61" + "0500 0001 62");
        assertThat(decoder.next(ByteBuffer.wrap(disconnect, 0, 9))).isNull();
        assertThat(decoder.isMidFrame()).as("between a frame and its CONTINUATION").isTrue();
        assertThat(decoder.next(ByteBuffer.wrap(disconnect, 9, 4))).isNull();
        assertThat(decoder.isMidFrame()).as("inside the CONTINUATION").isTrue();
        assertThat(decoder.next(ByteBuffer.wrap(disconnect, 13, 1))).isInstanceOf(Frame.Disconnect.class);
        assertThat(decoder.isMidFrame()).isFalse();
    }
}
