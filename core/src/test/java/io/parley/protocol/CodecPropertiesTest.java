package io.parley.protocol;

import io.parley.ReasonCode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Properties of the wire codec: round trips, arbitrary splitting, and length checks before allocation. */
class CodecPropertiesTest {
    private static final byte[] PREAMBLE_V1 = FrameEncoder.toBytes(new Frame.Preamble(1, 1));
    /** Frames compared field by field, byte arrays by content (fast: AssertJ would walk them element-wise). */
    static final RecursiveComparisonConfiguration SAME_CONTENT = RecursiveComparisonConfiguration.builder()
            .withEqualsForType(Arrays::equals, byte[].class).build();

    @Provide
    Arbitrary<Frame> frames() {
        return FrameArbitraries.anyFrame();
    }

    @Provide
    Arbitrary<List<Frame>> sequences() {
        return FrameArbitraries.validSequence();
    }

    @Property(tries = 400)
    void everyFrameSurvivesEncodeThenDecode(@ForAll("frames") Frame frame) throws ProtocolViolationException {
        byte[] bytes = FrameEncoder.toBytes(frame);

        assertThat(bytes[0] & 0xFF).as("type byte").isEqualTo(frame.type().code());
        assertThat(((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF)).as("declared payload length")
                .isEqualTo(bytes.length - WireFormat.HEADER_SIZE);
        FrameDecoder decoder = afterPreamble(FrameArbitraries.WIDE);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        Frame decoded = decoder.next(in);
        assertThat(decoded).usingRecursiveComparison(SAME_CONTENT).isEqualTo(frame);
        assertThat(in.hasRemaining()).isFalse();
        assertThat(decoder.isMidFrame()).isFalse();
    }

    @Property(tries = 50)
    void everyPreambleSurvivesEncodeThenDecode(@ForAll @IntRange(max = 255) int min,
                                               @ForAll @IntRange(max = 255) int max) throws ProtocolViolationException {
        byte[] bytes = FrameEncoder.toBytes(new Frame.Preamble(min, max));
        assertThat(bytes).hasSize(WireFormat.PREAMBLE_SIZE).startsWith(WireFormat.MAGIC);
        assertThat(new FrameDecoder(FrameArbitraries.WIDE).next(ByteBuffer.wrap(bytes)))
                .isEqualTo(new Frame.Preamble(min, max));
    }

    @Property(tries = 200)
    void anySplitOfAStreamDecodesToTheSameFrames(@ForAll("sequences") List<Frame> frames,
                                                 @ForAll @IntRange(min = 1, max = 200) int maxChunk,
                                                 @ForAll long seed) throws ProtocolViolationException {
        byte[] stream = encode(frames);
        List<Frame> decoded = decodeInChunks(stream, maxChunk, new Random(seed));

        List<Frame> expected = new ArrayList<>();
        expected.add(new Frame.Preamble(1, 1));
        expected.addAll(frames);
        assertThat(decoded).usingRecursiveFieldByFieldElementComparator(SAME_CONTENT).isEqualTo(expected);
    }

    @Property(tries = 30)
    void aStreamFedOneByteAtATimeDecodesToTheSameFrames(@ForAll("sequences") List<Frame> frames)
            throws ProtocolViolationException {
        byte[] stream = encode(frames);
        List<Frame> decoded = decodeInChunks(stream, 1, new Random(0));
        assertThat(decoded.subList(1, decoded.size())).usingRecursiveFieldByFieldElementComparator(SAME_CONTENT)
                .isEqualTo(frames);
    }

    /**
     * The limits apply to the declared length: a header alone reveals an oversized or undersized frame, so no
     * payload is needed (nor buffered) to refuse it. The expectation is written from docs/protocol.md, "Limits".
     */
    @Property(tries = 1000)
    void aDeclaredLengthIsJudgedFromTheHeaderAlone(
            @ForAll("knownTypes") FrameType type, @ForAll @IntRange(max = 255) int flags,
            @ForAll("lengths") int length, @ForAll @IntRange(max = 100) int maxUserData,
            @ForAll @IntRange(max = 100_000) int maxMessage) throws ProtocolViolationException {
        FrameLimits limits = new FrameLimits(maxUserData, maxUserData, maxUserData, maxMessage);
        FrameDecoder decoder = afterPreamble(limits);
        ByteBuffer header = ByteBuffer.allocate(4).put((byte) type.code()).put((byte) flags)
                .putShort((short) length).flip();

        ReasonCode expected = expectedHeaderVerdict(type, flags, length, limits);
        if (expected != null) {
            assertThatThrownBy(() -> decoder.next(header)).isInstanceOfSatisfying(ProtocolViolationException.class,
                    e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(expected));
        } else {
            Frame frame = decoder.next(header);
            assertThat(frame == null).as("a frame is complete with the header only when it is empty")
                    .isEqualTo(length > 0);
        }
    }

    @Property(tries = 300)
    void arbitraryBytesYieldFramesOrAViolationAndNothingElse(@ForAll @Size(max = 300) byte[] garbage,
                                                             @ForAll("sequences") List<Frame> prefix,
                                                             @ForAll @IntRange(min = 1, max = 40) int maxChunk,
                                                             @ForAll long seed) {
        byte[] valid = encode(prefix);
        byte[] stream = new byte[valid.length + garbage.length];
        System.arraycopy(valid, 0, stream, 0, valid.length);
        System.arraycopy(garbage, 0, stream, valid.length, garbage.length);
        FrameDecoder decoder = new FrameDecoder(new FrameLimits(64, 64, 64, 4096));
        Random random = new Random(seed);
        ProtocolViolationException first = null;
        for (int at = 0; at < stream.length; ) {
            int n = Math.min(stream.length - at, 1 + random.nextInt(maxChunk));
            ByteBuffer chunk = ByteBuffer.wrap(stream, at, n);
            try {
                while (decoder.next(chunk) != null) {
                    // Frames are fine; the property is about what else may come out.
                }
            } catch (ProtocolViolationException e) {
                if (first == null) {
                    first = e;
                } else {
                    assertThat(e).as("a failed decoder repeats its violation").isSameAs(first);
                }
            }
            at += n;
        }
    }

    @Provide
    Arbitrary<FrameType> knownTypes() {
        return Arbitraries.of(FrameType.CONNECT, FrameType.ACCEPT, FrameType.REJECT, FrameType.PENDING, FrameType.DATA,
                FrameType.DISCONNECT, FrameType.ABORT, FrameType.MESSAGE_SIZE, FrameType.CLOSE_SEEN);
    }

    @Provide
    Arbitrary<Integer> lengths() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 200), Arbitraries.integers().between(0, 0xFFFF))
                .edgeCases(c -> c.includeOnly(0, 1, 0xFFFF));
    }

    /** What the spec says the header alone decides: a reason, or null if the payload must be read. */
    private static ReasonCode expectedHeaderVerdict(FrameType type, int flags, int length, FrameLimits limits) {
        int qos = (flags & 0x01) != 0 ? 64 : 0;
        return switch (type) {
            case CONNECT -> userData(length, 8 + qos + ((flags & 0x02) != 0 ? 7 : 0), limits.maxCallerData());
            case ACCEPT -> userData(length, 6 + qos + ((flags & 0x02) != 0 ? 6 : 0), limits.maxCalleeData());
            case REJECT, ABORT -> length < 2 || length - 2 > 1024 ? ReasonCode.PROTOCOL_VIOLATION : null;
            case PENDING -> null;
            case DATA -> length > limits.maxMessageSize() ? ReasonCode.MESSAGE_TOO_LARGE : null;
            case MESSAGE_SIZE -> length != 4 ? ReasonCode.PROTOCOL_VIOLATION : null;
            case CLOSE_SEEN -> length != 0 ? ReasonCode.PROTOCOL_VIOLATION : null;
            case DISCONNECT -> length > limits.maxDisconnectData() ? ReasonCode.DATA_TOO_LARGE : null;
            case PREAMBLE -> throw new AssertionError();
        };
    }

    private static ReasonCode userData(int length, int fixed, int limit) {
        if (length < fixed) {
            return ReasonCode.PROTOCOL_VIOLATION;
        }
        return length - fixed > limit ? ReasonCode.DATA_TOO_LARGE : null;
    }

    static FrameDecoder afterPreamble(FrameLimits limits) throws ProtocolViolationException {
        FrameDecoder decoder = new FrameDecoder(limits);
        assertThat(decoder.next(ByteBuffer.wrap(PREAMBLE_V1))).isEqualTo(new Frame.Preamble(1, 1));
        return decoder;
    }

    private static byte[] encode(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PREAMBLE_V1);
        frames.forEach(f -> out.writeBytes(FrameEncoder.toBytes(f)));
        return out.toByteArray();
    }

    private static List<Frame> decodeInChunks(byte[] stream, int maxChunk, Random random)
            throws ProtocolViolationException {
        FrameDecoder decoder = new FrameDecoder(FrameArbitraries.WIDE);
        List<Frame> decoded = new ArrayList<>();
        for (int at = 0; at < stream.length; ) {
            int n = Math.min(stream.length - at, 1 + random.nextInt(maxChunk));
            ByteBuffer chunk = ByteBuffer.wrap(stream, at, n);
            Frame frame;
            while ((frame = decoder.next(chunk)) != null) {
                decoded.add(frame);
            }
            assertThat(chunk.hasRemaining()).as("the decoder consumes every byte it is given").isFalse();
            at += n;
        }
        assertThat(decoder.isMidFrame()).isFalse();
        return decoded;
    }
}
