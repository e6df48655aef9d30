package io.parley.bench.rsocket;

import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.SocketAcceptor;
import io.rsocket.core.RSocketConnector;
import io.rsocket.core.RSocketServer;
import io.rsocket.exceptions.RejectedSetupException;
import io.rsocket.frame.decoder.PayloadDecoder;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.transport.netty.server.CloseableChannel;
import io.rsocket.transport.netty.server.TcpServerTransport;
import io.rsocket.util.DefaultPayload;
import io.parley.bench.harness.Loopback;
import io.parley.bench.harness.Payloads;
import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpClient;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * RSocket set up the same way in every scenario: TCP transport on reactor-netty, the default (copying)
 * payload decoder, so a received payload is plain heap bytes as in Parley. The SETUP frame carries the
 * caller data; the server's acceptor is the condition (a wrong one gets a rejected setup).
 */
final class RSockets {
    private RSockets() {
    }

    /** Binds a server on 127.0.0.1 whose accepted connections are answered by what {@code handlers} gives. */
    static CloseableChannel bind(Supplier<RSocket> handlers, Duration firstFrameTimeout) {
        SocketAcceptor condition = (setup, sendingSocket) -> Arrays.equals(bytes(setup.getData()), Payloads.CALLER_DATA)
                ? Mono.just(handlers.get())
                : Mono.error(new RejectedSetupException("wrong caller data"));
        return RSocketServer.create(condition)
                .payloadDecoder(PayloadDecoder.DEFAULT)
                .maxTimeToFirstFrame(firstFrameTimeout)
                .bindNow(TcpServerTransport.create(Loopback.ADDRESS.getHostAddress(), 0));
    }

    /**
     * A connection to {@code server} whose SETUP carries the caller data (connects on subscription). The
     * transport is an unpooled TcpClient: TcpClientTransport.create(address) would take connections from
     * reactor-netty's shared pool, which holds at most 500.
     */
    static Mono<RSocket> connect(InetSocketAddress server) {
        TcpClientTransport transport = TcpClientTransport.create(TcpClient.newConnection().remoteAddress(() -> server));
        return Mono.defer(() -> RSocketConnector.create()
                .setupPayload(DefaultPayload.create(Payloads.CALLER_DATA))
                .payloadDecoder(PayloadDecoder.DEFAULT)
                .connect(transport));
    }

    /** The data of a payload as bytes; the payload is released. */
    static byte[] take(Payload payload) {
        try {
            return bytes(payload.getData());
        } finally {
            payload.release();
        }
    }

    static byte[] bytes(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return bytes;
    }

    /** {@code a} followed by {@code b}. */
    static byte[] join(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
