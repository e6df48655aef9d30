package io.parley.fuzz;

import io.parley.protocol.EngineConfig;
import io.parley.protocol.Frame;
import io.parley.protocol.FrameEncoder;
import io.parley.protocol.FrameLimits;
import io.parley.protocol.ProtocolEngine;
import io.parley.protocol.ProtocolEvent;
import io.parley.protocol.WireFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the fuzz targets found in io.parley.protocol, one readable test per finding (the raw fuzzer inputs
 * are kept too, under src/test/resources/io/parley/fuzz/). docs/reliability.md lists each with its fix.
 */
class ProtocolFindingsTest {

    /**
     * Finding 1: the buffer joining a fragmented message grew by doubling past the receiver's message limit,
     * so a peer sending a message of exactly the limit made the engine hold up to twice the limit (8 MiB for
     * the default 4 MiB); with a limit above 1 GiB the doubling overflowed and every fragment copied the whole
     * message again. Now the buffer never grows beyond the limit.
     */
    @Test
    @Timeout(30)
    void aFragmentedMessageNeverHoldsMoreThanTheLimit() {
        long limit = 20;
        ProtocolEngine engine = openCallee(new FrameLimits(16, 16, 16, 1024, limit));
        engine.receive(ByteBuffer.wrap(FrameEncoder.toBytes(new Frame.Data(true, new byte[3]))));
        engine.receive(ByteBuffer.wrap(FrameEncoder.toBytes(new Frame.Data(true, new byte[14]))));
        assertThat((long) Internals.partialMessage(engine)).isLessThanOrEqualTo(limit);
        engine.receive(ByteBuffer.wrap(FrameEncoder.toBytes(new Frame.Data(false, new byte[3]))));
        assertThat(engine.pollEvent()).isInstanceOfSatisfying(ProtocolEvent.MessageReceived.class,
                m -> assertThat(m.message()).hasSize(20));
    }

    /** The same at the default limit, in the largest fragments: at most 4 MiB held for a 4 MiB message. */
    @Test
    @Timeout(30)
    void aMessageOfTheDefaultLimitInLargestFragmentsHoldsAtMostTheLimit() {
        long limit = EngineConfig.DEFAULT_LIMITS.maxMessageSize();
        ProtocolEngine engine = openCallee(EngineConfig.DEFAULT_LIMITS);
        byte[] fragment = FrameEncoder.toBytes(new Frame.Data(true, new byte[0xFFFF]));
        long received = 0;
        while (received + 0xFFFF < limit) {
            engine.receive(ByteBuffer.wrap(fragment));
            received += 0xFFFF;
            assertThat((long) Internals.partialMessage(engine)).as("after %d bytes", received)
                    .isLessThanOrEqualTo(limit);
        }
        // All but the last byte, still with MORE: the buffer must not have doubled past the limit for it.
        engine.receive(ByteBuffer.wrap(FrameEncoder.toBytes(new Frame.Data(true, new byte[(int) (limit - received - 1)]))));
        assertThat((long) Internals.partialMessage(engine)).as("one byte short of the limit").isLessThanOrEqualTo(limit);
        engine.receive(ByteBuffer.wrap(FrameEncoder.toBytes(new Frame.Data(false, new byte[1]))));
        assertThat(engine.pollEvent()).isInstanceOfSatisfying(ProtocolEvent.MessageReceived.class,
                m -> assertThat((long) m.message().length).isEqualTo(limit));
    }

    /**
     * Finding 3: since fragments are joined inside the decoder, a connection that ended in the middle of a
     * message (the peer's ABORT between fragments, a reset, a violation) kept the part joined so far, up to
     * the message limit, for as long as its engine was referenced. Now the engine lets it go when it ends.
     */
    @Test
    @Timeout(30)
    void anEngineThatEndsInTheMiddleOfAMessageHoldsNoneOfIt() {
        ProtocolEngine aborted = openCallee(EngineConfig.DEFAULT_LIMITS);
        aborted.receive(ByteBuffer.wrap(FrameEncoder.toBytes(new Frame.Data(true, new byte[60_000]))));
        assertThat(Internals.partialMessageBytes(aborted)).as("held while the message is incomplete").isEqualTo(60_000);
        aborted.receive(ByteBuffer.wrap(FrameEncoder.toBytes(new Frame.Abort(9, new byte[0]))));
        assertThat(aborted.outcome().orElseThrow().kind()).isEqualTo(io.parley.CloseIndication.Kind.RESET);
        assertThat(Internals.partialMessage(aborted)).as("capacity held after the end").isZero();

        ProtocolEngine reset = openCallee(EngineConfig.DEFAULT_LIMITS);
        reset.receive(ByteBuffer.wrap(FrameEncoder.toBytes(new Frame.Data(true, new byte[60_000]))));
        reset.receiveReset("test");
        assertThat(Internals.partialMessage(reset)).as("capacity held after a reset").isZero();
    }

    /**
     * The same for user data joined from CONTINUATIONs (docs/protocol.md 4.5): a connection that ends while a
     * DISCONNECT's data is still coming (the peer's ABORT between its CONTINUATIONs, a reset) holds none of it.
     */
    @Test
    @Timeout(30)
    void anEngineThatEndsInTheMiddleOfUserDataHoldsNoneOfIt() {
        FrameLimits limits = new FrameLimits(16, 16, 200_000, 1024, 32);
        byte[] encoded = FrameEncoder.toBytes(new Frame.Disconnect(false, new byte[200_000]));
        // The first frame and the first CONTINUATION, then 60,000 bytes into the second.
        byte[] twoFrames = java.util.Arrays.copyOf(encoded, 2 * (WireFormat.HEADER_SIZE + WireFormat.MAX_PAYLOAD));
        byte[] midFrame = java.util.Arrays.copyOf(encoded, twoFrames.length + WireFormat.HEADER_SIZE + 60_000);

        ProtocolEngine aborted = openCallee(limits);
        aborted.receive(ByteBuffer.wrap(twoFrames));
        assertThat(Internals.userDataBytes(aborted)).as("held while the user data is incomplete")
                .isEqualTo(2 * WireFormat.MAX_PAYLOAD - WireFormat.DISCONNECT_FIXED_SIZE);
        aborted.receive(ByteBuffer.wrap(FrameEncoder.toBytes(new Frame.Abort(9, new byte[0]))));
        assertThat(aborted.outcome().orElseThrow().kind()).isEqualTo(io.parley.CloseIndication.Kind.RESET);
        assertThat(Internals.userData(aborted)).as("capacity held after the end").isZero();

        ProtocolEngine reset = openCallee(limits);
        reset.receive(ByteBuffer.wrap(midFrame));
        assertThat(Internals.userDataBytes(reset)).isEqualTo(2 * WireFormat.MAX_PAYLOAD
                - WireFormat.DISCONNECT_FIXED_SIZE + 60_000);
        reset.receiveReset("test");
        assertThat(Internals.userData(reset)).as("capacity held after a reset").isZero();
    }

    /** A callee engine with these limits, its request read and accepted, its output and events consumed. */
    static ProtocolEngine openCallee(FrameLimits limits) {
        ProtocolEngine engine = ProtocolEngine.callee(new EngineConfig(limits, 8), Long.MAX_VALUE);
        engine.receive(ByteBuffer.wrap(Vectors.concat(Vectors.PREAMBLE_V1,
                FrameEncoder.toBytes(new Frame.Connect(32, 16, 16, 1024, 0, Optional.empty(), Optional.empty(), new byte[0])))));
        engine.accept(new byte[0], Optional.empty(), Optional.empty());
        while (engine.pollEvent() != null) {
            // the request
        }
        if (engine.takeOutput() != null) {
            engine.releaseOutput();
        }
        return engine;
    }
}
