package io.parley.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.parley.protocol.EngineConfig;
import io.parley.protocol.Frame;
import io.parley.protocol.FrameDecoder;
import io.parley.protocol.FrameEncoder;
import io.parley.protocol.FrameLimits;
import io.parley.protocol.ProtocolViolationException;
import io.parley.protocol.WireFormat;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target for {@link FrameDecoder}: any byte stream, under four sets of limits, fed whole, byte by byte
 * and in random pieces.
 *
 * <p>Input: byte 0 chooses the limits (low two bits) and seeds the piece sizes (the rest); the remaining
 * bytes are the stream from its first byte (the preamble). Seeds: every row of docs/vectors/frames.tsv
 * (read live through {@link #vectors()}), plus the inputs under
 * {@code src/test/resources/io/parley/fuzz/FrameDecoderFuzzTestInputs/decode/} (findings kept as
 * regressions). In the normal suite each seed runs once (Jazzer's regression mode); {@code JAZZER_FUZZ=1}
 * fuzzes (docs/reliability.md has the command).
 *
 * <p>What must hold for every input:
 * <ol>
 *   <li>only {@link ProtocolViolationException} leaves the decoder (anything else is a finding), and once
 *       it did, every later call throws the same one;</li>
 *   <li>the split does not matter: whole, byte by byte and in random pieces give the same frames, the same
 *       violation, at the same byte, and the same partial-frame state;</li>
 *   <li>decoded frames respect the limits: caller data with the early length, callee, reason and
 *       disconnect data (joined from their CONTINUATIONs), message size across fragments, ABORT reason
 *       data;</li>
 *   <li>memory is bounded by the limits, not by the declared lengths: the buffer for a frame in progress
 *       is never larger than its type's limit allows, user data joined from CONTINUATIONs never more than its
 *       limit and at most 1 MiB before more than that has arrived, and decoding allocates in proportion to
 *       the input (plus at most a few frame buffers and that 1 MiB), never in proportion to what a header
 *       or a declared length claims;</li>
 *   <li>every decoded frame encodes to bytes that decode to the same frame;</li>
 *   <li>decoding as the engine does, fragments joined inside the decoder, gives the same messages, frames and
 *       violation as joining them outside, whole or in pieces.</li>
 * </ol>
 */
class FrameDecoderFuzzTest {
    /** The limits of docs/vectors/frames.tsv, the defaults, the protocol's maxima, and nothing at all (but the least max reason data). */
    static final List<FrameLimits> LIMITS = List.of(
            new FrameLimits(16, 16, 16, 1024, 32),
            EngineConfig.DEFAULT_LIMITS,
            Frames.WIDE,
            new FrameLimits(0, 0, 0, WireFormat.MIN_REASON_DATA_LIMIT, 0));
    /**
     * Allocation allowed per input byte: a frame's payload copy and its records (the smallest frame, four
     * bytes of header, costs a few dozen bytes of objects).
     */
    private static final long ALLOCATION_PER_BYTE = 32;
    /**
     * Allocation allowed regardless of the input: a few maximal frame buffers and fixed costs, and the 1 MiB the
     * decoder may allocate for user data declared large before more than that has arrived (docs/protocol.md 4.5).
     */
    private static final long ALLOCATION_FIXED = 4L * (WireFormat.MAX_PAYLOAD + 1) + 64 * 1024 + (1 << 20);
    /** What the decoder allocates for declared user data before more than this has arrived. */
    private static final int UPFRONT = 1 << 20;

    static Stream<Named<byte[]>> vectors() {
        return Vectors.rows("frames.tsv").stream()
                .map(row -> Named.of(row.name(), Vectors.concat(new byte[] {0}, Frames.frameStream(row))));
    }

    @Timeout(30)
    @org.junit.jupiter.params.provider.MethodSource("vectors")
    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int control = input[0] & 0xFF;
        FrameLimits limits = LIMITS.get(control & 3);
        byte[] stream = java.util.Arrays.copyOfRange(input, 1, input.length);

        Frames.Decoded whole = Frames.decode(limits, stream, new int[0]);
        decodeOnly(limits, stream); // the measured run below must not pay for loading and linking classes
        long before = Internals.allocatedByThisThread();
        int frames = decodeOnly(limits, stream);
        long allocated = Internals.allocatedByThisThread() - before;
        assertThat(frames).isEqualTo(whole.frames().size());
        if (before >= 0) {
            assertThat(allocated).as("bytes allocated decoding %d input bytes", stream.length)
                    .isLessThanOrEqualTo(ALLOCATION_PER_BYTE * stream.length + ALLOCATION_FIXED);
        }

        Frames.Decoded byteByByte = Frames.decode(limits, stream, new int[] {1});
        assertThat(byteByByte).as("byte by byte vs whole").isEqualTo(whole);
        Frames.Decoded pieces = Frames.decode(limits, stream, pieces(control >>> 2, stream.length));
        assertThat(pieces).as("random pieces vs whole").isEqualTo(whole);

        // As the engine decodes: fragments joined inside the decoder. Same messages, same frames, same errors.
        Frames.Decoded messages = Frames.decodeMessages(limits, stream, new int[0], false);
        assertThat(Frames.decodeMessages(limits, stream, new int[0], true)).as("joined vs separate fragments")
                .isEqualTo(messages);
        assertThat(Frames.decodeMessages(limits, stream, pieces(control >>> 2, stream.length), true))
                .as("joined, in random pieces").isEqualTo(messages);

        checkLimitsAndMemory(limits, stream);
        checkRoundTrips(limits, stream);
    }

    /** Decodes the whole stream at once and only counts the frames: what the allocation bound is about. */
    private static int decodeOnly(FrameLimits limits, byte[] stream) {
        FrameDecoder decoder = new FrameDecoder(limits);
        ByteBuffer in = ByteBuffer.wrap(stream);
        int frames = 0;
        try {
            while (decoder.next(in) != null) {
                frames++;
            }
        } catch (ProtocolViolationException e) {
            // counted up to the violation, as Frames.decode does
        }
        return frames;
    }

    /** Piece sizes from a seed: mostly small, sometimes large. */
    private static int[] pieces(int seed, int length) {
        Random random = new Random(seed);
        int[] sizes = new int[1 + random.nextInt(8)];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = random.nextBoolean() ? 1 + random.nextInt(5) : 1 + random.nextInt(Math.max(1, length));
        }
        return sizes;
    }

    /** Byte by byte: after every byte, the frame buffer is within the limits; every frame is too. */
    private static void checkLimitsAndMemory(FrameLimits limits, byte[] stream) {
        FrameDecoder decoder = new FrameDecoder(limits);
        decoder.useVersion(WireFormat.MAX_VERSION); // every frame type there is, QOS_REQUEST and QOS_ANSWER too
        long largestBuffer = EngineAudit.largestFrameBuffer(limits);
        long largestUserData = Math.max(Math.max(limits.maxCallerData(), limits.maxCalleeData()),
                Math.max(limits.maxDisconnectData(), limits.maxReasonData()));
        long message = 0;
        ProtocolViolationException failure = null;
        for (int i = 0; i < stream.length && failure == null; i++) {
            ByteBuffer one = ByteBuffer.wrap(stream, i, 1);
            try {
                Frame frame;
                while ((frame = decoder.next(one)) != null) {
                    switch (frame) {
                        case Frame.Connect c -> {
                            assertThat(c.callerData().length + c.earlyLength()).as("caller data with the early length")
                                    .isLessThanOrEqualTo(limits.maxCallerData());
                            assertThat(c.maxReasonData()).isGreaterThanOrEqualTo(WireFormat.MIN_REASON_DATA_LIMIT);
                        }
                        case Frame.Accept a -> assertThat(a.calleeData().length).isLessThanOrEqualTo(limits.maxCalleeData());
                        case Frame.Disconnect d -> assertThat(d.data().length).isLessThanOrEqualTo(limits.maxDisconnectData());
                        case Frame.Reject r -> assertThat(r.reasonData().length).isLessThanOrEqualTo(limits.maxReasonData());
                        case Frame.Abort a -> assertThat(a.reasonData().length).isLessThanOrEqualTo(WireFormat.MAX_ABORT_REASON_DATA);
                        case Frame.Data d -> {
                            message += d.payload().length;
                            assertThat(message).as("message size so far").isLessThanOrEqualTo(limits.maxMessageSize());
                            if (!d.more()) {
                                message = 0;
                            }
                        }
                        case Frame.MessageSize m ->
                                assertThat(m.size()).as("announced size").isLessThanOrEqualTo(limits.maxMessageSize());
                        case Frame.Preamble p -> {
                        }
                        case Frame.Pending p -> {
                        }
                        case Frame.DisconnectAck a -> {
                        }
                        case Frame.QosRequest q -> {
                        }
                        case Frame.QosAnswer a -> {
                        }
                    }
                }
            } catch (ProtocolViolationException e) {
                failure = e;
            }
            assertThat((long) Internals.decoderBuffer(decoder)).as("decoder buffer after byte %d", i)
                    .isLessThanOrEqualTo(largestBuffer);
            int userData = Internals.userData(decoder);
            assertThat((long) userData).as("joined user data after byte %d", i).isLessThanOrEqualTo(largestUserData);
            if (Internals.userDataBytes(decoder) <= UPFRONT) {
                assertThat(userData).as("user data allocated before 1 MiB of it arrived").isLessThanOrEqualTo(UPFRONT);
            }
        }
        if (failure != null) {
            ProtocolViolationException again = null;
            try {
                decoder.next(ByteBuffer.wrap(new byte[] {0x10, 0, 0, 0}));
            } catch (ProtocolViolationException e) {
                again = e;
            }
            assertThat(again).as("a finished decoder throws its violation again").isSameAs(failure);
        }
    }

    /** Every frame decoded (in any state of the stream) encodes and decodes back to itself. */
    private static void checkRoundTrips(FrameLimits limits, byte[] stream) {
        FrameDecoder decoder = new FrameDecoder(limits);
        ByteBuffer in = ByteBuffer.wrap(stream);
        try {
            Frame frame;
            while ((frame = decoder.next(in)) != null) {
                byte[] encoded = FrameEncoder.toBytes(frame);
                byte[] again = frame instanceof Frame.Preamble ? encoded : Vectors.concat(Vectors.PREAMBLE_V1, encoded);
                Frames.Decoded decoded = Frames.decode(Frames.WIDE, again, new int[0]);
                assertThat(decoded.error()).as("re-decoding %s", Frames.describe(frame)).isNull();
                assertThat(decoded.frames().getLast()).isEqualTo(Frames.describe(frame));
            }
        } catch (ProtocolViolationException e) {
            // The frames before the violation were checked.
        }
    }
}
