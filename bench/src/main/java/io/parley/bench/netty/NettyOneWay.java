package io.parley.bench.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.parley.bench.harness.Allocation;
import io.parley.bench.harness.CountMismatchException;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Figures;
import io.parley.bench.harness.OsCounters;
import io.parley.bench.harness.Payloads;
import io.parley.bench.harness.StandardFigures;
import io.parley.bench.harness.Trial;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Messages one way over Netty: each message framed into a pooled buffer; the sender batches writes and
 * flushes when the channel turns unwritable. The end is an 8-byte message holding the count.
 */
public final class NettyOneWay implements Trial {
    private final byte[] message;
    private final NettyLoops loops = NettyLoops.shared();
    private final FailureLatch failures = new FailureLatch();
    private final AtomicReference<CompletableFuture<Long>> finished = new AtomicReference<>();
    private final Channel server;

    /** One-way messages of {@code size} bytes. */
    public NettyOneWay(int size) throws InterruptedException {
        message = Payloads.pattern(size, 3);
        server = loops.bind(false, p -> p.addLast(NettyFraming.decoder(size), new Receiver()));
    }

    @Override
    public Figures run(Duration duration) throws Exception {
        failures.reset();
        finished.set(new CompletableFuture<>());
        OneWaySender sender = new OneWaySender(ctx -> NettyFraming.frame(ctx.alloc(), message),
                (ctx, count) -> NettyFraming.frame(ctx.alloc(), Payloads.countBytes(count)));
        Channel client = loops.bootstrap(false, p -> p.addLast(sender)).connect(NettyLoops.address(server)).sync().channel();
        try {
            OsCounters osBefore = OsCounters.now();
            long allocatedBefore = Allocation.totalBytes();
            long start = System.nanoTime();
            CompletableFuture<Long> sent = sender.start(start + duration.toNanos());
            long end = finished.get().get(duration.toSeconds() + 60, TimeUnit.SECONDS);
            long allocated = Allocation.totalBytes() - allocatedBefore;
            failures.rethrow("netty one-way");
            return StandardFigures.oneWay(message.length, sent.get(10, TimeUnit.SECONDS), end - start, allocated, osBefore);
        } finally {
            client.close().sync();
        }
    }

    @Override
    public void close() throws Exception {
        server.close().sync();
    }

    /** Counts messages and checks the count the end message carries. */
    private final class Receiver extends ChannelInboundHandlerAdapter {
        private long received;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            try {
                int size = frame.readableBytes();
                if (size == message.length) {
                    CountMismatchException.require(frame.getByte(frame.readerIndex() + size - 1) == message[size - 1],
                            "message " + received + " is corrupt");
                    received++;
                } else {
                    CountMismatchException.require(size == 8, "a message of " + size + " bytes");
                    long arrivedAt = System.nanoTime();
                    CountMismatchException.check("messages (sent vs received)", frame.readLong(), received);
                    finished.get().complete(arrivedAt);
                }
            } finally {
                frame.release();
            }
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
