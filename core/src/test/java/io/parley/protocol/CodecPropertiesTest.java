package io.parley.protocol;

import io.parley.ReasonCode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

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

        List<int[]> headers = headers(bytes);
        assertThat(headers.getFirst()[0]).as("type byte").isEqualTo(frame.type().code());
        checkContinuationLayout(headers, userData(frame).length);
        Statistics.label("continued").collect(headers.size() > 1);
        Statistics.label("continued").coverage(c -> c.check(true).percentage(p -> p >= 2));
        FrameDecoder decoder = afterPreamble(FrameArbitraries.WIDE);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        Frame decoded = decoder.next(in);
        assertThat(decoded).usingRecursiveComparison(SAME_CONTENT).isEqualTo(frame);
        assertThat(in.hasRemaining()).isFalse();
        assertThat(decoder.isMidFrame()).isFalse();
    }

    /**
     * User data longer than its frame holds goes on in CONTINUATION frames (docs/protocol.md 4.5): the first
     * frame is filled to 65,535 bytes of payload and so is every CONTINUATION but the last, which is not
     * empty; data that fits needs none.
     */
    private static void checkContinuationLayout(List<int[]> headers, int userDataLength) {
        int[] first = headers.getFirst();
        for (int i = 1; i < headers.size(); i++) {
            assertThat(headers.get(i)[0]).as("frame %d after the first", i).isEqualTo(FrameType.CONTINUATION.code());
            assertThat(headers.get(i)[1]).as("CONTINUATION flags").isZero();
        }
        if (headers.size() == 1) {
            return;
        }
        assertThat(first[2]).as("the first frame, continued, is full").isEqualTo(WireFormat.MAX_PAYLOAD);
        for (int i = 1; i < headers.size() - 1; i++) {
            assertThat(headers.get(i)[2]).as("CONTINUATION %d of %d is full", i, headers.size() - 1)
                    .isEqualTo(WireFormat.MAX_PAYLOAD);
        }
        assertThat(headers.getLast()[2]).as("the last CONTINUATION").isPositive();
        int carried = headers.stream().skip(1).mapToInt(h -> h[2]).sum();
        assertThat(carried).as("user data in CONTINUATIONs").isLessThan(userDataLength);
    }

    /**
     * Receivers MUST accept any split of user data into CONTINUATIONs, empty ones included, with unknown
     * ignorable extension frames between them (docs/protocol.md 4.5 and 9): the frame decodes the same.
     */
    @Property(tries = 200)
    void anySplitOfUserDataIntoContinuationsDecodesToTheSameFrame(@ForAll("framesWithUserData") Frame frame,
                                                                 @ForAll long seed,
                                                                 @ForAll @IntRange(min = 1, max = 300) int maxChunk)
            throws ProtocolViolationException {
        Random random = new Random(seed);
        byte[] stream = Engines.concat(PREAMBLE_V1, split(frame, random));

        List<Frame> decoded = decodeInChunks(stream, maxChunk, random);
        assertThat(decoded).usingRecursiveFieldByFieldElementComparator(SAME_CONTENT)
                .isEqualTo(List.of(new Frame.Preamble(1, 1), frame));
    }

    @Provide
    Arbitrary<Frame> framesWithUserData() {
        return Arbitraries.oneOf(FrameArbitraries.connect(), FrameArbitraries.accept(), FrameArbitraries.reject(),
                FrameArbitraries.disconnect());
    }

    /** The frame with its user data split at random: a first part, then CONTINUATIONs of any size. */
    private static byte[] split(Frame frame, Random random) {
        byte[] encoded = FrameEncoder.toBytes(frame);
        int fixed = fixedSize(frame);
        byte[] data = userData(frame);
        int most = new int[] {16, 1000, WireFormat.MAX_PAYLOAD}[random.nextInt(3)];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int first = random.nextInt(Math.min(data.length, Math.min(most, WireFormat.MAX_PAYLOAD - fixed)) + 1);
        out.writeBytes(header(encoded[0] & 0xFF, encoded[1] & 0xFF, fixed + first));
        out.write(encoded, WireFormat.HEADER_SIZE, fixed);
        out.write(data, 0, first);
        int at = first;
        while (at < data.length) {
            if (random.nextInt(4) == 0) {
                int type = WireFormat.FIRST_IGNORABLE_TYPE + 2 + random.nextInt(0x7E); // not MESSAGE_SIZE (0x81)
                out.writeBytes(header(type, random.nextInt(256), 3));
                out.writeBytes(new byte[] {1, 2, 3});
            }
            int part = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(Math.max(1, Math.min(data.length - at, most)));
            part = Math.min(part, data.length - at);
            out.writeBytes(header(FrameType.CONTINUATION.code(), random.nextInt(256), part));
            out.write(data, at, part);
            at += part;
        }
        return out.toByteArray();
    }

    @Property(tries = 50)
    void everyPreambleSurvivesEncodeThenDecode(@ForAll @IntRange(max = 255) int min,
                                               @ForAll @IntRange(max = 255) int max) throws ProtocolViolationException {
        byte[] bytes = FrameEncoder.toBytes(new Frame.Preamble(min, max));
        assertThat(bytes).hasSize(WireFormat.PREAMBLE_SIZE).startsWith(WireFormat.magic());
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
            @ForAll @IntRange(min = 1024, max = 1200) int maxReasonData,
            @ForAll @IntRange(max = 100_000) int maxMessage) throws ProtocolViolationException {
        FrameLimits limits = new FrameLimits(maxUserData, maxUserData, maxUserData, maxReasonData, maxMessage);
        FrameDecoder decoder = afterPreamble(limits);
        ByteBuffer header = ByteBuffer.wrap(header(type.code(), flags, length));

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

    /**
     * Between a frame and the end of its user data only CONTINUATION, ABORT and unknown ignorable extension
     * frames may come, and a CONTINUATION may not take the user data past its declared length: both detected
     * at the header (docs/protocol.md 4.5).
     */
    @Property(tries = 1000)
    void whileUserDataIsOutstandingTheNextHeaderIsJudgedAlone(@ForAll @IntRange(max = 255) int type,
                                                             @ForAll @IntRange(max = 255) int flags,
                                                             @ForAll("lengths") int length,
                                                             @ForAll @IntRange(max = 300) int part,
                                                             @ForAll @IntRange(min = 1, max = 70_000) int outstanding)
            throws ProtocolViolationException {
        FrameDecoder decoder = afterPreamble(FrameArbitraries.WIDE);
        ByteBuffer first = ByteBuffer.wrap(new byte[WireFormat.HEADER_SIZE + 4 + part])
                .put(header(FrameType.DISCONNECT.code(), 0, 4 + part)).putInt(part + outstanding).rewind();
        assertThat(decoder.next(first)).as("the DISCONNECT waits for its CONTINUATIONs").isNull();
        assertThat(decoder.isMidFrame()).isTrue();

        ByteBuffer next = ByteBuffer.wrap(header(type, flags, length));
        boolean legal;
        if (type == FrameType.CONTINUATION.code()) {
            legal = length <= outstanding;
        } else if (type == FrameType.ABORT.code()) {
            legal = length >= 2 && length - 2 <= WireFormat.MAX_ABORT_REASON_DATA;
        } else {
            legal = type >= WireFormat.FIRST_IGNORABLE_TYPE && FrameType.ofCode(type).isEmpty();
        }
        if (legal) {
            assertThat(decoder.next(next)).as("a header alone completes nothing here").isNull();
            assertThat(decoder.isMidFrame()).isTrue();
        } else {
            assertThatThrownBy(() -> decoder.next(next)).isInstanceOfSatisfying(ProtocolViolationException.class,
                    e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(ReasonCode.PROTOCOL_VIOLATION));
        }
    }

    /**
     * The declared user-data length is judged at the end of the first frame, before any CONTINUATION is read
     * (docs/protocol.md 4.5 and 6): over the receiver's limit it is DATA_TOO_LARGE (for CONNECT with the early
     * length added), below the part the frame holds a violation, both revealed by the frame's last byte.
     */
    @Property(tries = 1000)
    void aDeclaredUserDataLengthIsJudgedAtTheEndOfTheFirstFrame(@ForAll("framesWithUserData") Frame shape,
                                                                @ForAll @IntRange(max = 100) int limit,
                                                                @ForAll @IntRange(max = 100) int part,
                                                                @ForAll("declaredLengths") long declared,
                                                                @ForAll("declaredLengths") long early) {
        int reasonLimit = WireFormat.MIN_REASON_DATA_LIMIT + limit;
        FrameLimits limits = new FrameLimits(limit, limit, limit, reasonLimit, 100);
        int own = shape instanceof Frame.Reject ? reasonLimit : limit;
        int p = Math.min(part, own);
        long earlyLength = shape instanceof Frame.Connect ? early : 0;
        byte[] first = firstFrame(shape, new byte[p], declared, earlyLength);

        Set<ReasonCode> expected = EnumSet.noneOf(ReasonCode.class);
        if (declared + earlyLength > own) {
            expected.add(ReasonCode.DATA_TOO_LARGE);
        }
        if (declared < p) {
            expected.add(ReasonCode.PROTOCOL_VIOLATION); // CONNECT: either may be reported when both hold
        }
        Decoded decoded = decodeByteByByte(limits, Engines.concat(PREAMBLE_V1, first));
        if (expected.isEmpty()) {
            assertThat(decoded.error).as("no violation").isNull();
            assertThat(decoded.frames).as("a frame exactly when its user data is whole")
                    .hasSize(declared == p ? 2 : 1);
        } else {
            assertThat(decoded.error).as("the violation").isNotNull();
            assertThat(decoded.error.reason()).as(decoded.error.getMessage()).isIn(expected);
            assertThat(decoded.errorAt).as("revealed by the first frame's last byte")
                    .isEqualTo(PREAMBLE_V1.length + first.length - 1);
        }
    }

    @Provide
    Arbitrary<Long> declaredLengths() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 200), FrameArbitraries.u32())
                .edgeCases(c -> c.includeOnly(0L, 0xFFFF_FFFFL));
    }

    /** The first frame of {@code shape}'s type carrying {@code part}, with the declared lengths patched in. */
    private static byte[] firstFrame(Frame shape, byte[] part, long declared, long early) {
        Frame frame = switch (shape) {
            case Frame.Connect c -> new Frame.Connect(c.maxMessageSize(), c.maxCalleeData(), c.maxDisconnectData(),
                    c.maxReasonData(), 0, c.qos(), c.group(), part);
            case Frame.Accept a -> new Frame.Accept(a.maxMessageSize(), a.maxDisconnectData(), a.qos(), a.group(), part);
            case Frame.Reject r -> new Frame.Reject(r.reasonCode(), part);
            case Frame.Disconnect d -> new Frame.Disconnect(d.closed(), part);
            default -> throw new AssertionError(shape);
        };
        ByteBuffer bytes = ByteBuffer.wrap(FrameEncoder.toBytes(frame));
        int payload = WireFormat.HEADER_SIZE;
        switch (frame) {
            case Frame.Connect c -> bytes.putInt(payload + 16, (int) early).putInt(payload + 20, (int) declared);
            case Frame.Accept a -> bytes.putInt(payload + 8, (int) declared);
            case Frame.Reject r -> bytes.putInt(payload + 2, (int) declared);
            default -> bytes.putInt(payload, (int) declared);
        }
        return bytes.array();
    }

    /** The frames decoded, then the violation and the index of the byte that revealed it, if any. */
    private record Decoded(List<Frame> frames, ProtocolViolationException error, int errorAt) {
    }

    private static Decoded decodeByteByByte(FrameLimits limits, byte[] stream) {
        FrameDecoder decoder = new FrameDecoder(limits);
        decoder.useVersion(WireFormat.MAX_VERSION); // the frames after the preamble, as version 2 has them
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            try {
                Frame frame;
                ByteBuffer one = ByteBuffer.wrap(stream, i, 1);
                while ((frame = decoder.next(one)) != null) {
                    frames.add(frame);
                }
            } catch (ProtocolViolationException e) {
                return new Decoded(frames, e, i);
            }
        }
        return new Decoded(frames, null, -1);
    }

    /** User data of exactly the protocol's maximum (16 MiB) survives the round trip; one byte more is refused. */
    @Example
    void userDataOfTheProtocolMaximumRoundTripsAndOneByteMoreIsRefused() throws ProtocolViolationException {
        byte[] data = new byte[WireFormat.MAX_USER_DATA];
        new Random(1).nextBytes(data);
        Frame.Disconnect frame = new Frame.Disconnect(false, data);
        byte[] bytes = FrameEncoder.toBytes(frame);
        checkContinuationLayout(headers(bytes), data.length);
        FrameDecoder decoder = afterPreamble(FrameArbitraries.WIDE);
        assertThat(decoder.next(ByteBuffer.wrap(bytes))).usingRecursiveComparison(SAME_CONTENT).isEqualTo(frame);

        assertThatThrownBy(() -> FrameEncoder.toBytes(new Frame.Disconnect(false,
                new byte[WireFormat.MAX_USER_DATA + 1]))).isInstanceOf(IllegalArgumentException.class);
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
        FrameDecoder decoder = new FrameDecoder(new FrameLimits(64, 64, 64, 1024, 4096));
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
        return Arbitraries.of(Arrays.stream(FrameType.values()).filter(t -> t != FrameType.PREAMBLE).toList());
    }

    @Provide
    Arbitrary<Integer> lengths() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 200), Arbitraries.integers().between(0, 0xFFFF))
                .edgeCases(c -> c.includeOnly(0, 1, 0xFFFF));
    }

    /**
     * What the spec says the header alone decides for a frame that starts fresh (no user data outstanding): a
     * reason, or null if the payload must be read. User data is judged on the part in the frame (4.5, 6).
     */
    private static ReasonCode expectedHeaderVerdict(FrameType type, int flags, int length, FrameLimits limits) {
        int qos = (flags & 0x01) != 0 ? 64 : 0;
        return switch (type) {
            case CONNECT -> userData(length, 24 + qos + ((flags & 0x02) != 0 ? 7 : 0), limits.maxCallerData());
            case ACCEPT -> userData(length, 12 + qos + ((flags & 0x02) != 0 ? 7 : 0), limits.maxCalleeData()); // v2
            case REJECT -> userData(length, 6, limits.maxReasonData());
            case DISCONNECT -> userData(length, 4, limits.maxDisconnectData());
            case ABORT -> length < 2 || length - 2 > 1024 ? ReasonCode.PROTOCOL_VIOLATION : null;
            case PENDING -> null;
            case CONTINUATION -> ReasonCode.PROTOCOL_VIOLATION; // no user data is outstanding
            case DATA -> length > limits.maxMessageSize() ? ReasonCode.MESSAGE_TOO_LARGE : null;
            case MESSAGE_SIZE -> length != 4 ? ReasonCode.PROTOCOL_VIOLATION : null;
            case DISCONNECT_ACK -> length != 0 ? ReasonCode.PROTOCOL_VIOLATION : null;
            case QOS_REQUEST -> length != 64 ? ReasonCode.PROTOCOL_VIOLATION : null;
            case QOS_ANSWER -> length != ((flags & 0x01) != 0 ? 64 : 2) ? ReasonCode.PROTOCOL_VIOLATION : null;
            case PREAMBLE -> throw new AssertionError();
        };
    }

    private static ReasonCode userData(int length, int fixed, int limit) {
        if (length < fixed) {
            return ReasonCode.PROTOCOL_VIOLATION;
        }
        return length - fixed > limit ? ReasonCode.DATA_TOO_LARGE : null;
    }

    private static byte[] header(int type, int flags, int length) {
        return new byte[] {(byte) type, (byte) flags, (byte) (length >>> 8), (byte) length};
    }

    /** The headers of encoded frames: type, flags and payload length of each, in order. */
    private static List<int[]> headers(byte[] bytes) {
        List<int[]> headers = new ArrayList<>();
        for (int at = 0; at < bytes.length; ) {
            int length = ((bytes[at + 2] & 0xFF) << 8) | (bytes[at + 3] & 0xFF);
            headers.add(new int[] {bytes[at] & 0xFF, bytes[at + 1] & 0xFF, length});
            at += WireFormat.HEADER_SIZE + length;
            assertThat(at).as("the frames end where the bytes end").isLessThanOrEqualTo(bytes.length);
        }
        return headers;
    }

    private static byte[] userData(Frame frame) {
        return switch (frame) {
            case Frame.Connect c -> c.callerData();
            case Frame.Accept a -> a.calleeData();
            case Frame.Reject r -> r.reasonData();
            case Frame.Disconnect d -> d.data();
            default -> new byte[0];
        };
    }

    /** The length of a user-data frame's fields before its user data (docs/protocol.md 4.1-4.3, 4.7). */
    private static int fixedSize(Frame frame) {
        return switch (frame) {
            case Frame.Connect c -> WireFormat.CONNECT_FIXED_SIZE + (c.qos().isPresent() ? 64 : 0)
                    + (c.group().isPresent() ? WireFormat.CONNECT_GROUP_SIZE : 0);
            case Frame.Accept a -> WireFormat.ACCEPT_FIXED_SIZE + (a.qos().isPresent() ? 64 : 0)
                    + (a.group().isPresent() ? WireFormat.ACCEPT_GROUP_SIZE_V2 : 0); // decoded in version 2
            case Frame.Reject r -> WireFormat.REJECT_FIXED_SIZE;
            case Frame.Disconnect d -> WireFormat.DISCONNECT_FIXED_SIZE;
            default -> throw new AssertionError(frame);
        };
    }

    static FrameDecoder afterPreamble(FrameLimits limits) throws ProtocolViolationException {
        FrameDecoder decoder = new FrameDecoder(limits);
        assertThat(decoder.next(ByteBuffer.wrap(PREAMBLE_V1))).isEqualTo(new Frame.Preamble(1, 1));
        decoder.useVersion(WireFormat.MAX_VERSION); // as after preambles that agreed on version 2: every frame type
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
        decoder.useVersion(WireFormat.MAX_VERSION); // the streams hold version 2 frames too
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
