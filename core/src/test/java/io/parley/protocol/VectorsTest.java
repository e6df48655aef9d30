package io.parley.protocol;

import io.parley.FlowSpec;
import io.parley.Qos;
import io.parley.ReasonCode;
import io.parley.ServiceType;
import io.parley.WinsockError;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the machine-readable vectors of docs/vectors (frames.tsv: the codec; engine.tsv: the state machine).
 * The vectors were produced by docs/vectors/generate.py, an encoder written from docs/protocol.md that
 * shares no code with this implementation. Their header comments define the notation.
 */
class VectorsTest {
    /** The decoder limits the frame vectors are written for (frames.tsv, second header line). */
    static final FrameLimits VECTOR_LIMITS = new FrameLimits(16, 16, 16, 32);
    private static final byte[] PREAMBLE_V1 = Hex.parse("8f5041524c45590a0101");
    private static final FrameLimits OPEN_LIMITS =
            new FrameLimits(WireFormat.MAX_USER_DATA, WireFormat.MAX_USER_DATA, WireFormat.MAX_USER_DATA,
                    Integer.MAX_VALUE - 8);

    // ------------------------------------------------------------------------------ frames.tsv

    @Test
    void frameVectorsStateTheirLimits() throws IOException {
        List<String> header = java.nio.file.Files.readAllLines(VectorFile.docs("vectors", "frames.tsv"));
        assertThat(header).contains("# Decoder limits: maxCallerData=" + VECTOR_LIMITS.maxCallerData()
                + " maxCalleeData=" + VECTOR_LIMITS.maxCalleeData() + " maxDisconnectData="
                + VECTOR_LIMITS.maxDisconnectData() + " maxMessageSize=" + VECTOR_LIMITS.maxMessageSize());
    }

    @Test
    void frameVectorsCoverEveryFrameTypeAndEveryDecoderError() throws IOException {
        Set<FrameType> types = EnumSet.noneOf(FrameType.class);
        Set<String> errors = new java.util.HashSet<>();
        for (String[] row : VectorFile.rows("frames.tsv", 5)) {
            for (String item : row[3].split(" \\| ")) {
                String word = item.split(" ")[0];
                if (word.startsWith("error=")) {
                    errors.add(word.substring("error=".length()));
                } else if (!word.equals("partial")) {
                    types.add(FrameType.valueOf(word));
                }
            }
        }
        assertThat(types).containsExactlyInAnyOrder(FrameType.values());
        assertThat(errors).contains("NOT_PARLEY", "PROTOCOL_VIOLATION", "DATA_TOO_LARGE", "MESSAGE_TOO_LARGE");
    }

    @TestFactory
    Stream<DynamicTest> frameVectors() throws IOException {
        return VectorFile.rows("frames.tsv", 5).stream()
                .map(row -> DynamicTest.dynamicTest(row[0], () -> named(row[0], () -> checkFrameVector(row))));
    }

    private static void checkFrameVector(String[] row) throws ProtocolViolationException {
        boolean stream = switch (row[1]) {
            case "stream" -> true;
            case "frames" -> false;
            default -> throw new AssertionError("input must be stream or frames: " + row[1]);
        };
        byte[] hex = Hex.parse(row[2]);
        List<String> expected = new ArrayList<>(List.of(row[3].split(" \\| ")));
        String last = expected.getLast();
        String error = null;
        int errorAt = -1;
        boolean partial = false;
        if (last.startsWith("error=")) {
            expected.removeLast();
            String[] parts = last.split(" ");
            error = parts[0].substring("error=".length());
            errorAt = Integer.parseInt(parts[1].substring("at=".length()));
        } else if (last.equals("partial")) {
            expected.removeLast();
            partial = true;
        }

        // Byte by byte: records exactly which byte completes each frame or raises the violation.
        FrameDecoder decoder = new FrameDecoder(VECTOR_LIMITS);
        if (!stream) {
            assertThat(decoder.next(ByteBuffer.wrap(PREAMBLE_V1))).isEqualTo(new Frame.Preamble(1, 1));
        }
        List<Frame> frames = new ArrayList<>();
        ProtocolViolationException violation = null;
        int failedAt = -1;
        for (int i = 0; i < hex.length && violation == null; i++) {
            ByteBuffer one = ByteBuffer.wrap(hex, i, 1);
            try {
                Frame frame;
                while ((frame = decoder.next(one)) != null) {
                    frames.add(frame);
                }
            } catch (ProtocolViolationException e) {
                violation = e;
                failedAt = i;
            }
        }
        assertThat(FrameText.describe(frames, true)).as("frames decoded byte by byte")
                .isEqualTo(String.join(" | ", expected));
        if (error != null) {
            assertThat(violation).as("expected " + error + " at byte " + errorAt).isNotNull();
            assertThat(violation.reason().name()).isEqualTo(error);
            assertThat(failedAt).as("index of the byte that revealed the violation").isEqualTo(errorAt);
            assertThat(decoder.isMidFrame()).isFalse();
        } else {
            assertThat(violation).as("no violation expected").isNull();
            assertThat(decoder.isMidFrame()).as("decoder holds a partial frame").isEqualTo(partial);
        }

        // All at once: the same frames and the same outcome.
        FrameDecoder whole = new FrameDecoder(VECTOR_LIMITS);
        ByteBuffer all = ByteBuffer.wrap(stream ? hex : concat(PREAMBLE_V1, hex));
        List<Frame> wholeFrames = new ArrayList<>();
        ReasonCode wholeError = null;
        try {
            Frame frame;
            while ((frame = whole.next(all)) != null) {
                wholeFrames.add(frame);
            }
        } catch (ProtocolViolationException e) {
            wholeError = e.reason();
        }
        if (!stream) {
            assertThat(wholeFrames.removeFirst()).isEqualTo(new Frame.Preamble(1, 1));
        }
        assertThat(FrameText.describe(wholeFrames, true)).isEqualTo(String.join(" | ", expected));
        assertThat(wholeError == null ? null : wholeError.name()).isEqualTo(error);

        if (row[4].equals("yes")) {
            ByteArrayOutputStream encoded = new ByteArrayOutputStream();
            frames.forEach(f -> encoded.writeBytes(FrameEncoder.toBytes(f)));
            assertThat(Hex.of(encoded.toByteArray())).as("encode(decode(hex))").isEqualTo(Hex.of(hex));
        } else {
            assertThat(row[4]).isEqualTo("no");
        }
    }

    // ------------------------------------------------------------------------------ engine.tsv

    @TestFactory
    Stream<DynamicTest> engineVectors() throws IOException {
        return VectorFile.rows("engine.tsv", 4).stream()
                .map(row -> DynamicTest.dynamicTest(row[0],
                        () -> named(row[0], () -> new EngineScript(row[1]).run(row[2], row[3]))));
    }

    /** Interprets one engine.tsv script (the notation is defined in that file's header). */
    private static final class EngineScript {
        private static final long MS = 1_000_000L;
        private final ProtocolEngine engine;
        private final FrameDecoder outputDecoder = new FrameDecoder(OPEN_LIMITS);
        private final List<String> events = new ArrayList<>();

        EngineScript(String role) {
            EngineConfig config = new EngineConfig(VECTOR_LIMITS, 8);
            engine = switch (role) {
                case "caller" -> ProtocolEngine.caller(config, 10_000 * MS);
                case "callee" -> ProtocolEngine.callee(config, 10_000 * MS);
                default -> throw new AssertionError("role: " + role);
            };
        }

        void run(String script, String expect) {
            for (String step : script.split(" ; ")) {
                int bang = step.lastIndexOf("!WSA");
                if (bang < 0) {
                    step(step);
                } else {
                    refused(step.substring(0, bang), WinsockError.valueOf(step.substring(bang + 1)));
                }
                drainEvents();
            }
            assertThat("state=" + engine.state() + " events=" + String.join(",", events)).isEqualTo(expect);
        }

        private void refused(String step, WinsockError error) {
            EngineState before = engine.state();
            int output = engine.pendingOutput();
            assertThatThrownBy(() -> step(step)).as(step)
                    .isInstanceOfSatisfying(IllegalCommandException.class,
                            e -> assertThat(e.winsockError()).as(e.getMessage()).isEqualTo(error));
            assertThat(engine.state()).as("state after a refused " + step).isEqualTo(before);
            assertThat(engine.pendingOutput()).as("output after a refused " + step).isEqualTo(output);
            assertThat(engine.pollEvent()).as("events after a refused " + step).isNull();
        }

        private void step(String step) {
            int colon = step.indexOf(':');
            String verb = colon < 0 ? step : step.substring(0, colon);
            String arg = colon < 0 ? "" : step.substring(colon + 1);
            switch (verb) {
                case "connect" -> engine.connect(null, null, Hex.parse(arg));
                case "connect-qos" -> engine.connect(bestEffort(Long.parseLong(arg)), null, new byte[0]);
                case "accept" -> engine.accept(Hex.parse(arg), null, null);
                case "accept-qos" -> engine.accept(new byte[0], bestEffort(Long.parseLong(arg)), null);
                case "reject" -> engine.reject(ReasonCode.valueOf(arg), new byte[0]);
                case "defer" -> engine.defer(Long.parseLong(arg) * MS);
                case "send" -> engine.send(ByteBuffer.wrap(Hex.parse(arg)));
                case "send-zeros" -> engine.send(ByteBuffer.allocate(Integer.parseInt(arg)));
                case "disconnect" -> engine.sendDisconnect(Hex.parse(arg), false);
                case "close" -> engine.sendDisconnect(Hex.parse(arg), true);
                case "abort" -> engine.abort(ReasonCode.valueOf(arg), "vector");
                case "in" -> engine.receive(ByteBuffer.wrap(Hex.parse(arg)));
                case "eos" -> engine.receiveEndOfStream();
                case "reset" -> engine.receiveReset("vector");
                case "timeout" -> engine.handleTimeout(Long.parseLong(arg) * MS);
                case "out" -> assertThat(output()).as("output").isEqualTo(arg);
                default -> fail("unknown step " + step);
            }
        }

        private static Qos bestEffort(long rate) {
            FlowSpec spec = new FlowSpec(rate, 1000, FlowSpec.NOT_SPECIFIED, FlowSpec.NOT_SPECIFIED,
                    FlowSpec.NOT_SPECIFIED, ServiceType.BEST_EFFORT, 0, FlowSpec.NOT_SPECIFIED,
                    FlowSpec.NOT_SPECIFIED);
            return new Qos(spec, spec);
        }

        private String output() {
            List<Frame> frames = new ArrayList<>();
            ByteBuffer out = engine.takeOutput();
            if (out != null) {
                try {
                    Frame frame;
                    while ((frame = outputDecoder.next(out)) != null) {
                        frames.add(frame);
                    }
                } catch (ProtocolViolationException e) {
                    fail("the engine's output is not valid Parley: " + e.getMessage());
                }
                assertThat(outputDecoder.isMidFrame()).as("output ends inside a frame").isFalse();
                engine.releaseOutput();
            }
            return FrameText.describe(frames, false);
        }

        private void drainEvents() {
            ProtocolEvent event;
            while ((event = engine.pollEvent()) != null) {
                events.add(switch (event) {
                    case ProtocolEvent.ConnectRequested r -> "ConnectRequested:" + Hex.of(r.callerData());
                    case ProtocolEvent.Accepted a -> "Accepted:" + Hex.of(a.calleeData());
                    case ProtocolEvent.Deferred d -> "Deferred";
                    case ProtocolEvent.MessageReceived m -> "MessageReceived:" + Hex.of(m.message());
                    case ProtocolEvent.PeerDisconnected p ->
                            "PeerDisconnected" + (p.peerClosed() ? "/closed" : "") + ":" + Hex.of(p.data());
                    case ProtocolEvent.Closed c ->
                            "Closed:" + c.indication().kind() + "/" + c.indication().reason();
                });
            }
        }
    }

    /** Runs a vector, naming it in any failure (build tools report dynamic tests by index only). */
    private static void named(String name, org.junit.jupiter.api.function.Executable vector) throws Throwable {
        try {
            vector.execute();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("vector " + name + ": " + e.getMessage(), e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
