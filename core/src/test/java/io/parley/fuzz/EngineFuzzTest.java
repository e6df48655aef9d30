package io.parley.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.parley.FlowSpec;
import io.parley.Qos;
import io.parley.ReasonCode;
import io.parley.ServiceType;
import io.parley.protocol.EngineConfig;
import io.parley.protocol.FrameLimits;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Fuzz target for {@link io.parley.protocol.ProtocolEngine}, the state machine: either role, any limits,
 * driven by a script ({@link EngineScript}) of well-formed frames of every type in any order, raw bytes,
 * transport ends and resets, time, and local commands with any arguments. {@link EngineAudit} checks every
 * step; what must hold is listed there.
 *
 * <p>Seeds: every script of docs/vectors/engine.tsv (its limit overrides approximated by the protocol's
 * maxima) and every stream of docs/vectors/frames.tsv fed to both roles (through {@link #vectors()}), plus the inputs under
 * {@code src/test/resources/io/parley/fuzz/EngineFuzzTestInputs/drive/} (findings kept as regressions).
 */
class EngineFuzzTest {

    static Stream<Named<byte[]>> vectors() {
        List<Named<byte[]>> seeds = new ArrayList<>();
        for (Vectors.Row row : Vectors.rows("engine.tsv")) {
            if (!row.columns()[1].contains("maxVersion=")) { // the fuzzed engines speak version 1
                seeds.add(Named.of(row.name(), EngineSeeds.fromVector(row)));
            }
        }
        for (Vectors.Row row : Vectors.rows("frames.tsv")) {
            byte[] stream = Frames.frameStream(row);
            seeds.add(Named.of("callee fed " + row.name(), new EngineScript.Writer(true, 0, false)
                    .in(stream, 0).toByteArray()));
            seeds.add(Named.of("caller fed " + row.name(), new EngineScript.Writer(false, 0, false)
                    .op(EngineScript.Op.CONNECT).u8(0).data(new byte[0]).in(stream, 1).toByteArray()));
        }
        return seeds.stream();
    }

    @Timeout(30)
    @MethodSource("vectors")
    @FuzzTest(maxDuration = "30s")
    void drive(byte[] input) {
        EngineScript.Reader script = new EngineScript.Reader(input);
        int setup = script.u8();
        FrameLimits limits = FrameDecoderFuzzTest.LIMITS.get((setup >>> 1) & 3);
        EngineConfig config = new EngineConfig(limits, (setup & 8) != 0 ? 16 * 1024 : 8);
        EngineAudit audit = new EngineAudit((setup & 1) != 0, config);
        // Bounded: every operation consumes at least one byte, and an input is at most a few KiB.
        while (script.hasMore()) {
            audit.step(script);
        }
        audit.finish();
    }

    /** A best-effort flow spec as the engine vectors use it (docs/vectors/engine.tsv header). */
    static Qos bestEffort(long rate) {
        FlowSpec spec = new FlowSpec(rate, 1000, FlowSpec.NOT_SPECIFIED, FlowSpec.NOT_SPECIFIED,
                FlowSpec.NOT_SPECIFIED, ServiceType.BEST_EFFORT, 0, FlowSpec.NOT_SPECIFIED, FlowSpec.NOT_SPECIFIED);
        return new Qos(spec, spec);
    }

    /** Turns engine.tsv scripts into fuzzer inputs. */
    static final class EngineSeeds {
        private EngineSeeds() {
        }

        /**
         * The script of an engine.tsv row. Its role column may override the default limits: then the script
         * runs with the protocol's maxima (FrameDecoderFuzzTest.LIMITS index 2), and with 16 KiB fragments if
         * it asks for a fragment size above 8.
         */
        static byte[] fromVector(Vectors.Row row) {
            String[] role = row.columns()[1].split(" ");
            boolean limits = false;
            boolean largeFragments = false;
            for (int i = 1; i < role.length; i++) {
                if (role[i].startsWith("fragment=")) {
                    largeFragments = Integer.parseInt(role[i].substring("fragment=".length())) > 8;
                } else {
                    limits = true;
                }
            }
            EngineScript.Writer w = new EngineScript.Writer(role[0].equals("callee"), limits ? 2 : 0, largeFragments);
            long now = 0;
            for (String step : row.columns()[2].split(" ; ")) {
                int bang = step.lastIndexOf("!WSA");
                if (bang >= 0) {
                    step = step.substring(0, bang); // refused: the audit checks that it changed nothing
                }
                int colon = step.indexOf(':');
                String verb = colon < 0 ? step : step.substring(0, colon);
                String arg = colon < 0 ? "" : step.substring(colon + 1);
                switch (verb) {
                    case "connect" -> {
                        String[] parts = arg.split("/", -1);
                        w.op(EngineScript.Op.CONNECT).u8(parts.length > 1 ? 4 : 0).data(Frames.hex(parts[0]));
                        if (parts.length > 1) {
                            w.u8(parts.length - 1);
                            for (int i = 1; i < parts.length; i++) {
                                w.data(Frames.hex(parts[i]));
                            }
                        }
                    }
                    case "connect-qos" -> w.op(EngineScript.Op.CONNECT).u8(1).qos(bestEffort(Long.parseLong(arg)))
                            .data(new byte[0]);
                    case "accept" -> w.op(EngineScript.Op.ACCEPT).u8(0).data(Frames.hex(arg));
                    case "accept-qos" -> w.op(EngineScript.Op.ACCEPT).u8(2).qos(bestEffort(Long.parseLong(arg)))
                            .data(new byte[0]);
                    case "reject" -> {
                        int at = arg.indexOf(':');
                        String reason = at < 0 ? arg : arg.substring(0, at);
                        w.op(EngineScript.Op.REJECT).reason(ReasonCode.valueOf(reason))
                                .data(at < 0 ? new byte[0] : Frames.hex(arg.substring(at + 1)));
                    }
                    case "defer" -> {
                        long at = Long.parseLong(arg);
                        w.op(EngineScript.Op.DEFER).u16((int) (at - now));
                        now = at;
                    }
                    case "send" -> w.op(EngineScript.Op.SEND).data(Frames.hex(arg));
                    case "send-zeros" -> w.op(EngineScript.Op.SEND).zeros(Integer.parseInt(arg));
                    case "disconnect" -> w.op(EngineScript.Op.DISCONNECT).u8(0).data(Frames.hex(arg));
                    case "close" -> w.op(EngineScript.Op.DISCONNECT).u8(1).data(Frames.hex(arg));
                    case "abort" -> w.op(EngineScript.Op.ABORT).reason(ReasonCode.valueOf(arg));
                    case "in" -> w.in(Frames.hex(arg), 0);
                    case "eos" -> w.op(EngineScript.Op.EOS);
                    case "reset" -> w.op(EngineScript.Op.RESET);
                    case "timeout" -> {
                        long at = Long.parseLong(arg);
                        w.op(EngineScript.Op.TIME).u16((int) (at - now));
                        now = at;
                    }
                    case "out", "out-hex" -> w.op(EngineScript.Op.TAKE).op(EngineScript.Op.RELEASE);
                    case "state" -> {
                        // an expectation of the vector, not an input; the audit checks the state after every step
                    }
                    default -> throw new IllegalArgumentException("engine.tsv step " + step + " in " + row.name());
                }
            }
            return w.toByteArray();
        }
    }
}
