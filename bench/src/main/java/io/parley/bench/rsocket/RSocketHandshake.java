package io.parley.bench.rsocket;

import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.HandshakePeer;
import io.parley.bench.harness.Payloads;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.transport.netty.server.CloseableChannel;
import io.rsocket.util.DefaultPayload;
import io.rsocket.util.EmptyPayload;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * RSocket's conditional accept: the acceptor checks the SETUP data (the server closes a connection whose
 * first frame does not arrive within the handshake timeout). SETUP has no answer, so the client learns it was
 * accepted from a first request-response that returns the callee data; connect returns after it.
 */
public final class RSocketHandshake implements HandshakePeer {
    private final LongAdder accepted = new LongAdder();
    private CloseableChannel server;

    @Override
    public InetSocketAddress startServer(Duration handshakeTimeout, FailureLatch failures) {
        server = RSockets.bind(() -> {
            accepted.increment();
            return new RSocket() {
                @Override
                public Mono<Payload> requestResponse(Payload payload) {
                    payload.release();
                    return Mono.just(DefaultPayload.create(Payloads.CALLEE_DATA));
                }
            };
        }, handshakeTimeout);
        return server.address();
    }

    @Override
    public long accepted() {
        return accepted.sum();
    }

    @Override
    public AutoCloseable connect(InetSocketAddress address) {
        RSocket rs = RSockets.connect(address).block(Duration.ofSeconds(10));
        byte[] calleeData = RSockets.take(rs.requestResponse(EmptyPayload.INSTANCE).block(Duration.ofSeconds(10)));
        Payloads.check("callee data", Payloads.CALLEE_DATA, calleeData);
        return () -> {
            rs.dispose();
            rs.onClose().block(Duration.ofSeconds(10));
        };
    }

    @Override
    public byte[] halfRequest() {
        // A frame length of 64 (24 bits), then the first bytes of a SETUP frame's header: stream 0, type SETUP.
        return new byte[] {0, 0, 64, 0, 0, 0, 0, 0x04};
    }

    @Override
    public void close() {
        if (server != null) {
            server.dispose();
            server.onClose().block(Duration.ofSeconds(10));
        }
    }
}
