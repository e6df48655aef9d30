package io.parley.bench.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.parley.bench.harness.Allocation;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Figures;
import io.parley.bench.harness.OsCounters;
import io.parley.bench.harness.Latencies;
import io.parley.bench.harness.Payloads;
import io.parley.bench.harness.StandardFigures;
import io.parley.bench.harness.Trial;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** 64-byte request and response over Netty, event-driven on both sides; the server echoes. */
public final class NettyPingPong implements Trial {
    private final NettyLoops loops = NettyLoops.shared();
    private final FailureLatch failures = new FailureLatch();
    private final Channel server;

    /** Starts the echo server. */
    public NettyPingPong() throws InterruptedException {
        server = loops.bind(false, p -> p.addLast(NettyFraming.decoder(64), new Echo()));
    }

    @Override
    public Figures run(Duration duration) throws Exception {
        failures.reset();
        PingPongClient client = new PingPongClient(ctx -> NettyFraming.frame(ctx.alloc(), Payloads.REQUEST),
                answer -> Payloads.check("echo", Payloads.REQUEST, NettyFraming.take(answer)));
        Channel channel = loops.bootstrap(false, p -> p.addLast(NettyFraming.decoder(64), client))
                .connect(NettyLoops.address(server)).sync().channel();
        try {
            OsCounters osBefore = OsCounters.now();
            long allocatedBefore = Allocation.totalBytes();
            Latencies latencies = client.start(System.nanoTime() + duration.toNanos())
                    .get(duration.toSeconds() + 60, TimeUnit.SECONDS);
            long allocated = Allocation.totalBytes() - allocatedBefore;
            failures.rethrow("netty ping-pong");
            return StandardFigures.pingPong(latencies, allocated, osBefore);
        } finally {
            channel.close().sync();
        }
    }

    @Override
    public void close() throws Exception {
        server.close().sync();
    }

    /** Echoes each message in a new framed buffer. */
    private final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            ByteBuf out = ctx.alloc().ioBuffer(4 + in.readableBytes());
            out.writeInt(in.readableBytes()).writeBytes(in);
            in.release();
            ctx.writeAndFlush(out);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!NettyFraming.isPeerGone(cause)) {
                failures.fail(cause);
            }
            ctx.close();
        }
    }
}
