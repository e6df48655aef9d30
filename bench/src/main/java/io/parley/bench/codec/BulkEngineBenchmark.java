package io.parley.bench.codec;

import io.parley.bench.harness.Payloads;
import io.parley.protocol.EngineConfig;
import io.parley.protocol.ProtocolEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Bulk transfer through the codec alone: one 1 MiB message per operation, sent by one OPEN engine (in
 * 16 KiB fragments, the default) and received by another, whose input arrives in 64 KiB pieces as from a
 * socket's reads. Run with {@code -prof gc}: the target is that receiving allocates the message once
 * (about 1.05 MB per operation), with no buffer that grows by copying and no trimming copy at the end.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class BulkEngineBenchmark {
    private static final int MESSAGE_SIZE = 1 << 20;
    private static final int READ_SIZE = 64 * 1024;
    private ProtocolEngine caller;
    private ProtocolEngine callee;
    private ByteBuffer message;

    /** Opens the two engines. */
    @Setup
    public void open() {
        EnginePair pair = EnginePair.open(EngineConfig.DEFAULTS);
        caller = pair.caller();
        callee = pair.callee();
        message = ByteBuffer.wrap(Payloads.pattern(MESSAGE_SIZE, 3));
    }

    /** Sends one 1 MiB message, feeds its frames to the receiver in socket-sized reads, takes the message. */
    @Benchmark
    public byte[] sendAndReceive1MiB() {
        caller.send(message.clear());
        ByteBuffer wire = caller.takeOutput();
        int end = wire.limit();
        while (wire.position() < end) {
            wire.limit(Math.min(end, wire.position() + READ_SIZE));
            callee.receive(wire);
        }
        caller.releaseOutput();
        // pollMessage hands the message over as it is: a MessageReceived event would copy 1 MiB to stay immutable.
        byte[] received = callee.pollMessage();
        EnginePair.require(received != null, "no message");
        return received;
    }
}
