package io.parley.bench.parley;

import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.ListenOptions;
import io.parley.NetworkEvent;
import io.parley.NetworkEvents;
import io.parley.Parley;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.HandshakePeer;
import io.parley.bench.harness.Payloads;
import io.parley.protocol.EngineConfig;
import io.parley.protocol.ProtocolEngine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Parley's connection setup for the idle and flood scenarios: the condition checks the caller data and
 * accepts with callee data; each accepted connection is held until the client's disconnect, either as the
 * README does, on its own virtual thread receiving ({@link #hold}), or by the one thread of an
 * {@link EventServer}, which closes it at its FD_CLOSE ({@link #holdByEvents}). The client side is the same.
 */
public final class ParleyHandshake implements HandshakePeer {
    private static final ConnectOptions OPTIONS = ConnectOptions.builder().callerData(Payloads.CALLER_DATA).build();

    private final Serving serving;
    private final LongAdder accepted = new LongAdder();
    private ListeningServer server;

    /**
     * A peer whose server, once started, serves as {@code serving} says.
     *
     * @param serving how the server holds its connections
     */
    public ParleyHandshake(Serving serving) {
        this.serving = serving;
    }

    @Override
    public InetSocketAddress startServer(Duration handshakeTimeout, FailureLatch failures) throws Exception {
        ListenOptions options = ListenOptions.builder().backlog(1024).handshakeTimeout(handshakeTimeout).build();
        server = switch (serving) {
            case THREAD_PER_CONNECTION -> new ParleyServer(options, this::hold, failures);
            case ONE_EVENT_THREAD -> new EventServer(options, connection -> {
                accepted.increment();
                return ParleyHandshake::holdByEvents;
            }, failures);
        };
        return server.address();
    }

    private void hold(ParleyConnection c) throws Exception {
        accepted.increment();
        while (c.receive() != null) {
            // an idle connection receives nothing until the client ends it
        }
    }

    /** {@link #hold}, event by event: true (closed by the server) at the client's disconnect. */
    private static boolean holdByEvents(ParleyConnection c, NetworkEvents events) throws IOException {
        if (events.has(NetworkEvent.READ)) {
            c.receive(); // an idle connection receives nothing until the client ends it
        }
        // At FD_CLOSE the receive answers null (error 0) or throws (the connection broke), as hold's would.
        return events.has(NetworkEvent.CLOSE) && c.receive() == null;
    }

    @Override
    public long accepted() {
        return accepted.sum();
    }

    @Override
    public AutoCloseable connect(InetSocketAddress address) throws Exception {
        ParleyConnection c = Parley.tcp().connect(address, OPTIONS);
        Payloads.check("callee data", Payloads.CALLEE_DATA, c.calleeData());
        return c;
    }

    @Override
    public byte[] halfRequest() {
        ProtocolEngine engine = ProtocolEngine.caller(EngineConfig.DEFAULTS, Long.MAX_VALUE);
        engine.connect(Optional.empty(), Optional.empty(), Payloads.CALLER_DATA, List.of());
        ByteBuffer request = engine.takeOutput();
        byte[] bytes = new byte[request.remaining()];
        request.get(bytes);
        return Arrays.copyOf(bytes, bytes.length / 2);
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.close();
        }
    }
}
