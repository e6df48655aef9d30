package io.parley.bench.websocket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.HandshakePeer;
import io.parley.bench.netty.NettyFraming;
import io.parley.bench.netty.NettyLoops;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * WebSocket's conditional accept: the upgrade request (guarded by a read timeout) is checked before the 101
 * answer; the connection is then held until the client's close frame.
 */
public final class WsHandshake implements HandshakePeer {
    private static final String REQUEST = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + WsServerSide.CALLER_HEADER + ": " + WsServerSide.CALLER_TEXT + "\r\n\r\n";

    private final NettyLoops loops = NettyLoops.shared();
    private final LongAdder accepted = new LongAdder();
    private Channel server;
    private FailureLatch failures;

    @Override
    public InetSocketAddress startServer(Duration handshakeTimeout, FailureLatch failureLatch) throws Exception {
        this.failures = failureLatch;
        server = loops.bind(false, p -> {
            p.addLast("timeout", new ReadTimeoutHandler(handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS));
            WsServerSide.install(p, new Holder());
        });
        return NettyLoops.address(server);
    }

    @Override
    public long accepted() {
        return accepted.sum();
    }

    @Override
    public AutoCloseable connect(InetSocketAddress address) throws Exception {
        CompletableFuture<Void> open = new CompletableFuture<>();
        WsClientSide side = new WsClientSide(address, 1024) {
            @Override
            void onOpen(ChannelHandlerContext ctx) {
                open.complete(null);
            }

            @Override
            void onFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
                // the server's close frame
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                open.completeExceptionally(new IllegalStateException("closed before the upgrade"));
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                open.completeExceptionally(cause);
                ctx.close();
            }
        };
        Channel channel = loops.bootstrap(false, p -> WsClientSide.install(p, side)).connect(address).sync().channel();
        open.get(10, TimeUnit.SECONDS);
        return () -> {
            channel.writeAndFlush(new CloseWebSocketFrame(WsFrames.NORMAL, "bye"));
            if (!channel.closeFuture().await(5, TimeUnit.SECONDS)) {
                channel.close().sync();
            }
        };
    }

    @Override
    public byte[] halfRequest() {
        byte[] request = REQUEST.getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(request, request.length / 2);
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.close().sync();
        }
    }

    /** Counts upgrades, then holds the connection until the client's close frame. */
    private final class Holder extends WsServerSide {
        Holder() {
            super(1024);
        }

        @Override
        void onOpen(ChannelHandlerContext ctx) {
            ctx.pipeline().remove("timeout");
            accepted.increment();
        }

        @Override
        void onFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof CloseWebSocketFrame) {
                ctx.writeAndFlush(new CloseWebSocketFrame(WsFrames.NORMAL, "bye")).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof ReadTimeoutException) && !NettyFraming.isPeerGone(cause)) {
                failures.fail(cause);
            }
            ctx.close();
        }
    }
}
