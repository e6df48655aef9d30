package io.parley.protocol;

import io.parley.ReasonCode;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Focused decoder behaviour: bounded memory, and a decoder that failed stays failed. */
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

    @Test
    void aFailedDecoderKeepsFailingWithTheSameViolation() throws ProtocolViolationException {
        FrameDecoder decoder = CodecPropertiesTest.afterPreamble(EngineConfig.DEFAULT_LIMITS);
        ProtocolViolationException first = null;
        try {
            decoder.next(ByteBuffer.wrap(new byte[] {0x05, 0, 0, 0}));
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
    }
}
