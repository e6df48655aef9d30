package io.parley.bench.codec;

import io.parley.bench.harness.Payloads;
import io.parley.protocol.EngineConfig;
import io.parley.protocol.EngineState;
import io.parley.protocol.ProtocolEngine;
import io.parley.protocol.ProtocolEvent;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * Two engines back to back, a caller and a callee, past the handshake (both OPEN), for the codec benchmarks.
 *
 * @param caller the engine that connected
 * @param callee the engine that accepted
 */
record EnginePair(ProtocolEngine caller, ProtocolEngine callee) {

    /** Opens a caller and a callee with the given configuration and checks both are OPEN. */
    static EnginePair open(EngineConfig config) {
        ProtocolEngine caller = ProtocolEngine.caller(config, Long.MAX_VALUE);
        ProtocolEngine callee = ProtocolEngine.callee(config, Long.MAX_VALUE);
        caller.connect(Optional.empty(), Optional.empty(), Payloads.CALLER_DATA, List.of());
        transfer(caller, callee);
        require(callee.pollEvent() instanceof ProtocolEvent.ConnectRequested, "no request");
        callee.accept(Payloads.CALLEE_DATA, Optional.empty(), Optional.empty());
        transfer(callee, caller);
        require(caller.pollEvent() instanceof ProtocolEvent.Accepted, "not accepted");
        require(caller.state() == EngineState.OPEN && callee.state() == EngineState.OPEN, "engines not open");
        return new EnginePair(caller, callee);
    }

    /** Feeds everything {@code from} has encoded to {@code to} in one piece. */
    static void transfer(ProtocolEngine from, ProtocolEngine to) {
        ByteBuffer bytes = from.takeOutput();
        to.receive(bytes);
        from.releaseOutput();
    }

    /** Throws unless {@code condition} holds: a benchmark that measures the wrong thing must not run. */
    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
