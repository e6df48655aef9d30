package io.parley.protocol;

import io.parley.CloseIndication;
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
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the machine-readable vectors of docs/vectors (frames.tsv: the codec; engine.tsv: the state machine).
 * The vectors were produced by docs/vectors/generate.py, an encoder written from docs/protocol.md that
 * shares no code with this implementation. Their header comments define the notation, including the run
 * notation {@code [XX*N]} for long hex (see {@link Hex}).
 */
class VectorsTest {
    /** The decoder limits the frame vectors are written for (frames.tsv, second header line). */
    static final FrameLimits VECTOR_LIMITS = new FrameLimits(16, 16, 16, 1024, 32);
    /** The fragment size of the engine vectors' engines (engine.tsv header). */
    static final int VECTOR_FRAGMENT = 8;
    private static final long MS = 1_000_000L;
    private static final long DEADLINE_MS = 10_000;
    /** Decodes what an engine sends: everything the protocol allows. */
    private static final FrameLimits OPEN_LIMITS =
            new FrameLimits(WireFormat.MAX_USER_DATA, WireFormat.MAX_USER_DATA, WireFormat.MAX_USER_DATA,
                    WireFormat.MAX_USER_DATA, Integer.MAX_VALUE - 8);

    // ------------------------------------------------------------------------------ frames.tsv

    @Test
    void frameVectorsStateTheirLimits() throws IOException {
        List<String> header = Files.readAllLines(VectorFile.docs("vectors", "frames.tsv"));
        assertThat(header).contains("# Decoder limits: " + limitsText(VECTOR_LIMITS));
    }

    @Test
    void engineVectorsStateTheirDefaults() throws IOException {
        String header = String.join(" ", Files.readAllLines(VectorFile.docs("vectors", "engine.tsv")))
                .replace("#", " ").replaceAll("\\s+", " ");
        assertThat(header).contains(limitsText(VECTOR_LIMITS) + ", sends fragments of at most " + VECTOR_FRAGMENT
                + " bytes, and has a handshake deadline at t=" + DEADLINE_MS + " ms");
    }

    private static String limitsText(FrameLimits limits) {
        return "maxCallerData=" + limits.maxCallerData() + " maxCalleeData=" + limits.maxCalleeData()
                + " maxDisconnectData=" + limits.maxDisconnectData() + " maxReasonData=" + limits.maxReasonData()
                + " maxMessageSize=" + limits.maxMessageSize();
    }

    @Test
    void frameVectorsCoverEveryFrameTypeAndEveryDecoderError() throws IOException {
        Set<FrameType> decoded = EnumSet.noneOf(FrameType.class);
        Set<Integer> sentTypes = new HashSet<>();
        Set<String> errors = new HashSet<>();
        boolean partial = false;
        for (String[] row : VectorFile.rows("frames.tsv", 5)) {
            for (String item : row[3].split(" \\| ")) {
                String word = item.split(" ")[0];
                if (word.startsWith("error=")) {
                    errors.add(word.substring("error=".length()));
                } else if (word.equals("partial")) {
                    partial = true;
                } else {
                    decoded.add(FrameType.valueOf(word));
                }
            }
            if (row[1].equals("frames")) {
                sentTypes.addAll(frameTypesIn(Hex.parse(row[2])));
            }
        }
        // A CONTINUATION is never decoded on its own: it completes the frame before it.
        assertThat(decoded).containsExactlyInAnyOrderElementsOf(
                EnumSet.complementOf(EnumSet.of(FrameType.CONTINUATION)));
        assertThat(sentTypes).as("frame types present in the inputs")
                .contains(FrameType.CONTINUATION.code(), FrameType.DISCONNECT_ACK.code());
        assertThat(errors).containsExactlyInAnyOrder("NOT_PARLEY", "PROTOCOL_VIOLATION", "DATA_TOO_LARGE",
                "MESSAGE_TOO_LARGE");
        assertThat(partial).isTrue();
    }

    /** The type bytes of the frames in a byte string that is a sequence of frames (it may end early). */
    private static Set<Integer> frameTypesIn(byte[] frames) {
        Set<Integer> types = new HashSet<>();
        int at = 0;
        while (at + 4 <= frames.length) {
            types.add(frames[at] & 0xFF);
            at += 4 + ((frames[at + 2] & 0xFF) << 8 | (frames[at + 3] & 0xFF));
        }
        return types;
    }

    @TestFactory
    Stream<DynamicTest> frameVectors() throws IOException {
        return VectorFile.rows("frames.tsv", 5).stream()
                .map(row -> DynamicTest.dynamicTest(row[0], () -> named(row[0], () -> checkFrameVector(row))));
    }

    private static void checkFrameVector(String[] row) throws ProtocolViolationException {
        boolean stream = switch (row[1]) {
            case "stream" -> true;
            case "frames", "frames-v2" -> false;
            default -> throw new AssertionError("input must be stream, frames or frames-v2: " + row[1]);
        };
        int version = row[1].equals("frames-v2") ? 2 : 1;
        byte[] preamble = FrameEncoder.toBytes(new Frame.Preamble(1, version));
        byte[] hex = Hex.parse(row[2]);
        List<String> expected = new ArrayList<>(List.of(Hex.expand(row[3]).split(" \\| ")));
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
            assertThat(decoder.next(ByteBuffer.wrap(preamble))).isEqualTo(new Frame.Preamble(1, version));
            decoder.useVersion(version);
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
            assertThat(decoder.isMidFrame()).as("decoder holds a partial frame or outstanding user data")
                    .isEqualTo(partial);
        }

        // All at once: the same frames and the same outcome.
        FrameDecoder whole = new FrameDecoder(VECTOR_LIMITS);
        List<Frame> wholeFrames = new ArrayList<>();
        ReasonCode wholeError = null;
        try {
            if (!stream) {
                assertThat(whole.next(ByteBuffer.wrap(preamble))).isEqualTo(new Frame.Preamble(1, version));
                whole.useVersion(version);
            }
            ByteBuffer all = ByteBuffer.wrap(hex);
            Frame frame;
            while ((frame = whole.next(all)) != null) {
                wholeFrames.add(frame);
            }
        } catch (ProtocolViolationException e) {
            wholeError = e.reason();
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

    @Test
    void engineVectorsReachEveryStateAndEveryKindOfEnd() throws IOException {
        Set<String> states = new HashSet<>();
        Set<String> kinds = new HashSet<>();
        for (String[] row : VectorFile.rows("engine.tsv", 4)) {
            for (String step : row[2].split(" ; ")) {
                if (step.startsWith("state:")) {
                    states.add(step.substring("state:".length()));
                }
            }
            String[] expect = row[3].split(" ", 2);
            states.add(expect[0].substring("state=".length()));
            for (String event : expect[1].substring("events=".length()).split(",")) {
                if (event.startsWith("Closed:")) {
                    kinds.add(event.substring("Closed:".length()).split("/")[0]);
                }
            }
        }
        assertThat(states).containsAll(Arrays.stream(EngineState.values()).map(Enum::name).toList());
        assertThat(kinds).containsAll(Arrays.stream(CloseIndication.Kind.values()).map(Enum::name).toList());
    }

    /** Interprets one engine.tsv script (the notation is defined in that file's header). */
    private static final class EngineScript {
        private final ProtocolEngine engine;
        private final FrameDecoder outputDecoder = new FrameDecoder(OPEN_LIMITS);
        private final List<String> events = new ArrayList<>();

        /** ROLE is "caller" or "callee", optionally followed by overrides such as maxMessageSize=N. */
        EngineScript(String roleColumn) {
            String[] words = roleColumn.split(" ");
            int maxCallerData = VECTOR_LIMITS.maxCallerData();
            int maxCalleeData = VECTOR_LIMITS.maxCalleeData();
            int maxDisconnectData = VECTOR_LIMITS.maxDisconnectData();
            int maxReasonData = VECTOR_LIMITS.maxReasonData();
            long maxMessageSize = VECTOR_LIMITS.maxMessageSize();
            int fragment = VECTOR_FRAGMENT;
            int maxVersion = WireFormat.VERSION;
            for (int i = 1; i < words.length; i++) {
                String[] setting = words[i].split("=", 2);
                long value = Long.parseLong(setting[1]);
                switch (setting[0]) {
                    case "maxCallerData" -> maxCallerData = Math.toIntExact(value);
                    case "maxCalleeData" -> maxCalleeData = Math.toIntExact(value);
                    case "maxDisconnectData" -> maxDisconnectData = Math.toIntExact(value);
                    case "maxReasonData" -> maxReasonData = Math.toIntExact(value);
                    case "maxMessageSize" -> maxMessageSize = value;
                    case "fragment" -> fragment = Math.toIntExact(value);
                    case "maxVersion" -> maxVersion = Math.toIntExact(value);
                    default -> throw new AssertionError("unknown setting in the role column: " + words[i]);
                }
            }
            EngineConfig config = new EngineConfig(new FrameLimits(maxCallerData, maxCalleeData, maxDisconnectData,
                    maxReasonData, maxMessageSize), fragment, maxVersion);
            engine = switch (words[0]) {
                case "caller" -> ProtocolEngine.caller(config, DEADLINE_MS * MS);
                case "callee" -> ProtocolEngine.callee(config, DEADLINE_MS * MS);
                default -> throw new AssertionError("role: " + words[0]);
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
            assertThat("state=" + engine.state() + " events=" + String.join(",", events))
                    .isEqualTo(Hex.expand(expect));
        }

        private void refused(String step, WinsockError error) {
            EngineState before = engine.state();
            int output = engine.pendingOutput();
            assertThatThrownBy(() -> step(step)).as(abbreviate(step))
                    .isInstanceOfSatisfying(IllegalCommandException.class,
                            e -> assertThat(e.winsockError()).as(e.getMessage()).isEqualTo(error));
            assertThat(engine.state()).as("state after a refused " + abbreviate(step)).isEqualTo(before);
            assertThat(engine.pendingOutput()).as("output after a refused " + abbreviate(step)).isEqualTo(output);
            assertThat(engine.pollEvent()).as("events after a refused " + abbreviate(step)).isNull();
        }

        private void step(String step) {
            int colon = step.indexOf(':');
            String verb = colon < 0 ? step : step.substring(0, colon);
            String arg = colon < 0 ? "" : step.substring(colon + 1);
            switch (verb) {
                case "connect" -> connect(arg);
                case "connect-qos" -> engine.connect(Optional.of(bestEffort(Long.parseLong(arg))), Optional.empty(),
                        new byte[0], List.of());
                case "accept" -> engine.accept(Hex.parse(arg), Optional.empty(), Optional.empty());
                case "accept-group" -> {
                    String[] g = arg.split(":");
                    engine.accept(new byte[0], Optional.empty(), Optional.of(new io.parley.Group(
                            io.parley.GroupKind.valueOf(g[0]), Long.parseLong(g[1]), Integer.parseInt(g[2]))));
                }
                case "accept-qos" -> engine.accept(new byte[0], Optional.of(bestEffort(Long.parseLong(arg))),
                        Optional.empty());
                case "reject" -> {
                    int data = arg.indexOf(':');
                    engine.reject(ReasonCode.valueOf(data < 0 ? arg : arg.substring(0, data)),
                            data < 0 ? new byte[0] : Hex.parse(arg.substring(data + 1)));
                }
                case "defer" -> engine.defer(Long.parseLong(arg) * MS);
                case "send" -> engine.send(ByteBuffer.wrap(Hex.parse(arg)));
                case "disconnect" -> engine.sendDisconnect(Hex.parse(arg), false);
                case "close" -> engine.sendDisconnect(Hex.parse(arg), true);
                case "abort" -> engine.abort(ReasonCode.valueOf(arg), "vector");
                case "request-qos" -> {
                    String[] rates = arg.split("/");
                    Qos both = bestEffort(Long.parseLong(rates[0]));
                    engine.requestQos(rates.length == 1 ? both
                            : new Qos(both.sending(), bestEffort(Long.parseLong(rates[1])).receiving()));
                }
                case "grant-qos" -> engine.grantQos(bestEffort(Long.parseLong(arg)));
                case "refuse-qos" -> engine.refuseQos(ReasonCode.valueOf(arg));
                case "in" -> engine.receive(ByteBuffer.wrap(Hex.parse(arg)));
                case "eos" -> engine.receiveEndOfStream();
                case "reset" -> engine.receiveReset("vector");
                case "timeout" -> engine.handleTimeout(Long.parseLong(arg) * MS);
                case "state" -> assertThat(engine.state()).as("state").isEqualTo(EngineState.valueOf(arg));
                case "out" -> checkOutput(Hex.expand(arg));
                case "out-hex" -> assertThat(Hex.of(takeOutput())).as("output bytes").isEqualTo(Hex.expand(arg));
                default -> fail("unknown step " + abbreviate(step));
            }
        }

        /** connect[:CALLER[/EARLY...]]: caller data, then the early messages, each hex (possibly empty). */
        private void connect(String arg) {
            if (arg.isEmpty()) {
                engine.connect(Optional.empty(), Optional.empty(), new byte[0], List.of());
                return;
            }
            String[] parts = arg.split("/", -1);
            List<byte[]> early = new ArrayList<>();
            for (int i = 1; i < parts.length; i++) {
                early.add(Hex.parse(parts[i]));
            }
            engine.connect(Optional.empty(), Optional.empty(), Hex.parse(parts[0]), early);
        }

        private static Qos bestEffort(long rate) {
            FlowSpec spec = new FlowSpec(rate, 1000, FlowSpec.NOT_SPECIFIED, FlowSpec.NOT_SPECIFIED,
                    FlowSpec.NOT_SPECIFIED, ServiceType.BEST_EFFORT, 0, FlowSpec.NOT_SPECIFIED,
                    FlowSpec.NOT_SPECIFIED);
            return new Qos(spec, spec);
        }

        /**
         * Compares the frames sent since the last out step with the expectation: ABORT without its data, and
         * REJECT without its data unless the expectation gives it (a REJECT the script commanded).
         */
        private void checkOutput(String expected) {
            List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(" \\| "));
            List<Frame> frames = decode(takeOutput());
            List<String> got = new ArrayList<>();
            for (int i = 0; i < frames.size(); i++) {
                Frame frame = frames.get(i);
                boolean withData = frame instanceof Frame.Reject
                        && i < want.size() && want.get(i).contains(" data=");
                got.add(FrameText.describe(frame, withData));
            }
            assertThat(String.join(" | ", got)).as("output").isEqualTo(String.join(" | ", want));
        }

        /** Every byte the engine has encoded since the last out or out-hex step. */
        private byte[] takeOutput() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ByteBuffer out;
            while ((out = engine.takeOutput()) != null && out.hasRemaining()) {
                byte[] bytes = new byte[out.remaining()];
                out.get(bytes);
                all.writeBytes(bytes);
                engine.releaseOutput();
            }
            engine.releaseOutput();
            return all.toByteArray();
        }

        /** Decodes output with one decoder for the whole script, so frames may span out steps' bytes. */
        private List<Frame> decode(byte[] bytes) {
            List<Frame> frames = new ArrayList<>();
            ByteBuffer in = ByteBuffer.wrap(bytes);
            try {
                Frame frame;
                if (engine.version() != 0) {
                    outputDecoder.useVersion(engine.version()); // the engine's output, in the version it chose
                }
                while ((frame = outputDecoder.next(in)) != null) {
                    frames.add(frame);
                }
            } catch (ProtocolViolationException e) {
                fail("the engine's output is not valid Parley: " + e.getMessage());
            }
            assertThat(outputDecoder.isMidFrame()).as("output ends inside a frame").isFalse();
            return frames;
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
                    case ProtocolEvent.QosRequested q -> "QosRequested";
                    case ProtocolEvent.QosAnswered a -> "QosAnswered:" + (a.granted().isPresent() ? "granted"
                            : "refused/" + a.reason());
                });
            }
        }
    }

    /** Runs a vector, naming it in any failure (build tools report dynamic tests by index only). */
    private static void named(String name, org.junit.jupiter.api.function.Executable vector) throws Throwable {
        try {
            vector.execute();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("vector " + name + ": " + abbreviate(e.getMessage()), e);
        }
    }

    /** Keeps failure messages readable when a vector carries megabytes of hex. */
    private static String abbreviate(String text) {
        if (text == null || text.length() <= 4000) {
            return text;
        }
        return text.substring(0, 4000) + "… (" + text.length() + " characters)";
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
