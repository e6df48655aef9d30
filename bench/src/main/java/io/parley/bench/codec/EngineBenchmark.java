package io.parley.bench.codec;

import io.parley.bench.harness.Payloads;
import io.parley.protocol.EngineConfig;
import io.parley.protocol.Frame;
import io.parley.protocol.FrameDecoder;
import io.parley.protocol.ProtocolEngine;
import io.parley.protocol.ProtocolEvent;
import io.parley.protocol.ProtocolViolationException;
import io.parley.protocol.WireFormat;
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
 * The codec and the state machine alone, no I/O: two engines in the OPEN state back to back, one 64-byte
 * message (one DATA frame) per operation. Run with {@code -prof gc} for the bytes allocated per operation;
 * the target is that sending and receiving allocate nothing but the received message itself (80 bytes for a
 * 64-byte array), which {@link #sendAndReceive64PollMessage} shows. The variants that take an event (or a
 * frame) allocate it and the copy of the message it holds: events and frames are immutable values.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EngineBenchmark {
    private ProtocolEngine caller;
    private ProtocolEngine callee;
    private FrameDecoder decoder;
    private ByteBuffer message;
    private ByteBuffer frame;

    /** Opens the two engines and encodes the frame the decoding benchmarks read. */
    @Setup
    public void open() throws ProtocolViolationException {
        EnginePair pair = EnginePair.open(EngineConfig.DEFAULTS);
        caller = pair.caller();
        callee = pair.callee();
        message = ByteBuffer.wrap(Payloads.pattern(64, 5));
        caller.send(message.clear());
        ByteBuffer encoded = caller.takeOutput();
        byte[] copy = new byte[encoded.remaining()];
        encoded.get(copy);
        caller.releaseOutput();
        frame = ByteBuffer.wrap(copy);
        decoder = new FrameDecoder(EngineConfig.DEFAULT_LIMITS);
        ByteBuffer preamble = ByteBuffer.allocate(WireFormat.PREAMBLE_SIZE)
                .put(WireFormat.magic()).put((byte) WireFormat.VERSION).put((byte) WireFormat.VERSION).flip();
        EnginePair.require(decoder.next(preamble) instanceof Frame.Preamble, "no preamble");
    }

    /** Encoding: the engine frames one message and hands the bytes out. */
    @Benchmark
    public ByteBuffer encode64() {
        caller.send(message.clear());
        ByteBuffer out = caller.takeOutput();
        caller.releaseOutput();
        return out;
    }

    /** Decoding: the engine reads one DATA frame and produces the message event (with its copy). */
    @Benchmark
    public ProtocolEvent decode64() {
        callee.receive(frame.clear());
        return callee.pollEvent();
    }

    /** Both: send on one engine, feed its bytes to the other, take the received message as an event. */
    @Benchmark
    public ProtocolEvent sendAndReceive64() {
        caller.send(message.clear());
        callee.receive(caller.takeOutput());
        caller.releaseOutput();
        return callee.pollEvent();
    }

    /** Both, taking the received message with pollMessage: no event object, only the message itself. */
    @Benchmark
    public byte[] sendAndReceive64PollMessage() {
        caller.send(message.clear());
        callee.receive(caller.takeOutput());
        caller.releaseOutput();
        return callee.pollMessage();
    }

    /** The frame decoder alone on one DATA frame (the payload read, and the copy the frame holds). */
    @Benchmark
    public Frame frameDecoder64() throws ProtocolViolationException {
        return decoder.next(frame.clear());
    }
}
