package io.parley.bench.websocket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.parley.bench.harness.Allocation;
import io.parley.bench.harness.CountMismatchException;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Figures;
import io.parley.bench.harness.OsCounters;
import io.parley.bench.harness.Payloads;
import io.parley.bench.harness.StandardFigures;
import io.parley.bench.harness.Trial;
import io.parley.bench.netty.NettyFraming;
import io.parley.bench.netty.NettyLoops;
import io.parley.bench.netty.OneWaySender;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Binary frames one way over WebSocket (masked, as a client must), with Netty's write batching; the end is
 * the close frame whose reason is the count.
 */
public final class WsOneWay implements Trial {
    private final byte[] message;
    private final NettyLoops loops = NettyLoops.shared();
    private final FailureLatch failures = new FailureLatch();
    private final AtomicReference<CompletableFuture<Long>> finished = new AtomicReference<>();
    private final Channel server;

    /** One-way messages of {@code size} bytes. */
    public WsOneWay(int size) throws InterruptedException {
        message = Payloads.pattern(size, 3);
        server = loops.bind(false, p -> WsServerSide.install(p, new Receiver(size + 64)));
    }

    @Override
    public Figures run(Duration duration) throws Exception {
        failures.reset();
        finished.set(new CompletableFuture<>());
        CompletableFuture<Void> open = new CompletableFuture<>();
        OneWaySender sender = new OneWaySender(ctx -> WsFrames.binary(ctx.alloc(), message),
                (ctx, count) -> WsFrames.close(Long.toString(count).getBytes(StandardCharsets.US_ASCII)));
        WsClientSide side = new WsClientSide(NettyLoops.address(server), message.length + 64) {
            @Override
            void onOpen(ChannelHandlerContext ctx) {
                open.complete(null);
            }

            @Override
            void onFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
                // the server's close frame: nothing to check
            }
        };
        Channel client = loops.bootstrap(false, p -> {
            WsClientSide.install(p, side);
            p.addLast(sender);
        }).connect(NettyLoops.address(server)).sync().channel();
        try {
            open.get(10, TimeUnit.SECONDS);
            OsCounters osBefore = OsCounters.now();
            long allocatedBefore = Allocation.totalBytes();
            long start = System.nanoTime();
            CompletableFuture<Long> sent = sender.start(start + duration.toNanos());
            long end = finished.get().get(duration.toSeconds() + 60, TimeUnit.SECONDS);
            long allocated = Allocation.totalBytes() - allocatedBefore;
            failures.rethrow("websocket one-way");
            return StandardFigures.oneWay(message.length, sent.get(10, TimeUnit.SECONDS), end - start, allocated, osBefore);
        } finally {
            client.close().sync();
        }
    }

    @Override
    public void close() throws Exception {
        server.close().sync();
    }

    /** Counts binary frames and checks the count in the close reason. */
    private final class Receiver extends WsServerSide {
        private long received;

        Receiver(int maxFrame) {
            super(maxFrame);
        }

        @Override
        void onOpen(ChannelHandlerContext ctx) {
        }

        @Override
        void onFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof BinaryWebSocketFrame) {
                int size = frame.content().readableBytes();
                CountMismatchException.require(size == message.length
                        && frame.content().getByte(frame.content().readerIndex() + size - 1) == message[size - 1],
                        "message " + received + " arrived with " + size + " bytes");
                received++;
                return;
            }
            long arrivedAt = System.nanoTime();
            long count = Long.parseLong(new String(WsFrames.reason(frame), StandardCharsets.US_ASCII));
            CountMismatchException.check("messages (sent vs received)", count, received);
            ctx.writeAndFlush(WsFrames.close(new byte[0])).addListener(ChannelFutureListener.CLOSE);
            finished.get().complete(arrivedAt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!NettyFraming.isPeerGone(cause)) {
                failures.fail(cause);
                finished.get().completeExceptionally(cause);
            }
            ctx.close();
        }
    }
}
