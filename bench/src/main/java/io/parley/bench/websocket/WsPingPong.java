package io.parley.bench.websocket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.parley.bench.harness.Allocation;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Figures;
import io.parley.bench.harness.OsCounters;
import io.parley.bench.harness.Latencies;
import io.parley.bench.harness.Payloads;
import io.parley.bench.harness.StandardFigures;
import io.parley.bench.harness.Trial;
import io.parley.bench.netty.NettyFraming;
import io.parley.bench.netty.NettyLoops;
import io.parley.bench.netty.PingPongClient;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** 64-byte binary frames request and response over WebSocket; the server echoes. */
public final class WsPingPong implements Trial {
    private final NettyLoops loops = NettyLoops.shared();
    private final FailureLatch failures = new FailureLatch();
    private final Channel server;

    /** Starts the echo server. */
    public WsPingPong() throws InterruptedException {
        server = loops.bind(false, p -> WsServerSide.install(p, new WsServerSide(1024) {
            @Override
            void onOpen(ChannelHandlerContext ctx) {
            }

            @Override
            void onFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
                if (frame instanceof BinaryWebSocketFrame) {
                    ctx.writeAndFlush(new BinaryWebSocketFrame(frame.content().retain()));
                } else {
                    ctx.close();
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                if (!NettyFraming.isPeerGone(cause)) {
                    failures.fail(cause);
                }
                ctx.close();
            }
        }));
    }

    @Override
    public Figures run(Duration duration) throws Exception {
        failures.reset();
        CompletableFuture<Void> open = new CompletableFuture<>();
        PingPongClient client = new PingPongClient(ctx -> WsFrames.binary(ctx.alloc(), Payloads.REQUEST), answer -> {
            WebSocketFrame frame = (WebSocketFrame) answer;
            try {
                Payloads.check("echo", Payloads.REQUEST, WsFrames.bytes(frame));
            } finally {
                frame.release();
            }
        });
        WsClientSide side = new WsClientSide(NettyLoops.address(server), 1024) {
            @Override
            void onOpen(ChannelHandlerContext ctx) {
                open.complete(null);
            }

            @Override
            void onFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
                ctx.fireChannelRead(frame.retain());
            }
        };
        Channel channel = loops.bootstrap(false, p -> {
            WsClientSide.install(p, side);
            p.addLast(client);
        }).connect(NettyLoops.address(server)).sync().channel();
        try {
            open.get(10, TimeUnit.SECONDS);
            OsCounters osBefore = OsCounters.now();
            long allocatedBefore = Allocation.totalBytes();
            Latencies latencies = client.start(System.nanoTime() + duration.toNanos())
                    .get(duration.toSeconds() + 60, TimeUnit.SECONDS);
            long allocated = Allocation.totalBytes() - allocatedBefore;
            failures.rethrow("websocket ping-pong");
            return StandardFigures.pingPong(latencies, allocated, osBefore);
        } finally {
            channel.writeAndFlush(WsFrames.close(new byte[0]));
            channel.close().sync();
        }
    }

    @Override
    public void close() throws Exception {
        server.close().sync();
    }
}
