package io.parley.fuzz;

import io.parley.protocol.EngineConfig;
import io.parley.protocol.ProtocolEngine;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What output buffers an engine holds: none before it first encodes, one while its driver takes and releases
 * each batch before encoding more, and a second only once output was encoded while a batch was taken.
 */
class OutputBuffersHeldTest {

    @Test
    void anEngineThatHasEncodedNothingHoldsNoOutputBuffer() {
        assertThat(Internals.outputBuffers(ProtocolEngine.callee(EngineConfig.DEFAULTS, Long.MAX_VALUE))).isZero();
        assertThat(Internals.outputBuffers(ProtocolEngine.caller(EngineConfig.DEFAULTS, Long.MAX_VALUE))).isZero();
    }

    @Test
    void takingAndReleasingEachBatchKeepsOneBufferAndAnOverlapAddsTheSecond() {
        ProtocolEngine engine = ProtocolFindingsTest.openCallee(EngineConfig.DEFAULT_LIMITS);
        for (int i = 0; i < 3; i++) {
            engine.send(ByteBuffer.allocate(4));
            engine.takeOutput();
            engine.releaseOutput();
            assertThat(Internals.outputBuffers(engine)).as("round %d", i).isEqualTo(1);
        }
        engine.send(ByteBuffer.allocate(4));
        engine.takeOutput();
        engine.send(ByteBuffer.allocate(4));
        engine.releaseOutput();
        assertThat(Internals.outputBuffers(engine)).as("encoded while a batch was taken").isEqualTo(2);
    }
}
