package io.parley.bench.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.parley.bench.harness.CountMismatchException;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Figures;
import io.parley.bench.harness.OsCounters;
import io.parley.bench.harness.Payloads;
import io.parley.bench.harness.StandardFigures;
import io.parley.bench.harness.Threads;
import io.parley.bench.harness.Trial;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Netty's nearest equivalent of the Parley lifecycle, event-driven on both sides: 16 bytes of caller data
 * answered (after a check) by 16 bytes of callee data, a 64-byte request and response, 8 bytes of "disconnect
 * data" each way followed by a half-close, then close. 32 client loops each start the next connection when
 * the previous one closed.
 */
public final class NettyLifecycle implements Trial {
    private static final int CLIENTS = 32;

    private final NettyLoops loops = NettyLoops.shared();
    private final FailureLatch failures = new FailureLatch();
    private final LongAdder served = new LongAdder();
    private final Channel server;

    /** Starts the server. */
    public NettyLifecycle() throws InterruptedException {
        server = loops.bind(true, p -> p.addLast(NettyFraming.decoder(64), new ServerSide()));
    }

    @Override
    public Figures run(Duration duration) throws Exception {
        failures.reset();
        long servedBefore = served.sum();
        LongAdder completed = new LongAdder();
        CountDownLatch stopped = new CountDownLatch(CLIENTS);
        OsCounters osBefore = OsCounters.now();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        for (int i = 0; i < CLIENTS; i++) {
            new ClientLoop(NettyLoops.address(server), deadline, completed, stopped).next();
        }
        if (!stopped.await(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("netty lifecycle clients did not stop");
        }
        long elapsed = System.nanoTime() - start;
        failures.rethrow("netty lifecycle");
        Threads.await(() -> served.sum() - servedBefore >= completed.sum(), 10_000);
        CountMismatchException.check("lifecycles (clients vs server)", completed.sum(), served.sum() - servedBefore);
        return StandardFigures.lifecycle(completed.sum(), elapsed, osBefore);
    }

    @Override
    public void close() throws Exception {
        server.close().sync();
    }

    /** One client's loop of connections: each starts when the previous one closed. */
    private final class ClientLoop {
        private final InetSocketAddress address;
        private final long deadline;
        private final LongAdder completed;
        private final CountDownLatch stopped;
        private final Bootstrap bootstrap;

        ClientLoop(InetSocketAddress address, long deadline, LongAdder completed, CountDownLatch stopped) {
            this.address = address;
            this.deadline = deadline;
            this.completed = completed;
            this.stopped = stopped;
            this.bootstrap = loops.bootstrap(true, p -> p.addLast(NettyFraming.decoder(64), new ClientSide(this)));
        }

        void next() {
            if (failures.failed() || System.nanoTime() - deadline >= 0) {
                stopped.countDown();
                return;
            }
            bootstrap.connect(address).addListener(f -> {
                if (!f.isSuccess()) {
                    failed(f.cause());
                }
            });
        }

        void finished() {
            completed.increment();
            next();
        }

        void failed(Throwable cause) {
            failures.fail(cause);
            stopped.countDown();
        }
    }

    /** The client's side of one lifecycle, step by step. */
    private static final class ClientSide extends ChannelInboundHandlerAdapter {
        private final ClientLoop loop;
        private int step;
        private boolean ended;
        private boolean reported;

        ClientSide(ClientLoop loop) {
            this.loop = loop;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(NettyFraming.frame(ctx.alloc(), Payloads.CALLER_DATA));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            byte[] bytes = NettyFraming.take(msg);
            switch (step++) {
                case 0 -> {
                    Payloads.check("callee data", Payloads.CALLEE_DATA, bytes);
                    ctx.writeAndFlush(NettyFraming.frame(ctx.alloc(), Payloads.REQUEST));
                }
                case 1 -> {
                    Payloads.check("response", Payloads.RESPONSE, bytes);
                    ctx.writeAndFlush(NettyFraming.frame(ctx.alloc(), Payloads.CLIENT_BYE))
                            .addListener(f -> ((DuplexChannel) ctx.channel()).shutdownOutput());
                }
                case 2 -> Payloads.check("server disconnect data", Payloads.SERVER_BYE, bytes);
                default -> throw new CountMismatchException("message after the server's disconnect data");
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                CountMismatchException.require(step == 3, "the server ended after " + step + " messages");
                ended = true;
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (reported) {
                return;
            }
            reported = true;
            if (ended) {
                loop.finished();
            } else {
                loop.failed(new IllegalStateException("connection closed at step " + step));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!reported) {
                reported = true;
                loop.failed(cause);
            }
            ctx.close();
        }
    }

    /** The server's side: check the caller data, answer, echo, exchange disconnect data, close. */
    private final class ServerSide extends ChannelInboundHandlerAdapter {
        private int step;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            byte[] bytes = NettyFraming.take(msg);
            switch (step++) {
                case 0 -> {
                    Payloads.check("caller data", Payloads.CALLER_DATA, bytes);
                    ctx.writeAndFlush(NettyFraming.frame(ctx.alloc(), Payloads.CALLEE_DATA));
                }
                case 1 -> {
                    Payloads.check("request", Payloads.REQUEST, bytes);
                    ctx.writeAndFlush(NettyFraming.frame(ctx.alloc(), Payloads.RESPONSE));
                }
                case 2 -> Payloads.check("client disconnect data", Payloads.CLIENT_BYE, bytes);
                default -> throw new CountMismatchException("message after the client's disconnect data");
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                CountMismatchException.require(step == 3, "the client ended after " + step + " messages");
                ctx.writeAndFlush(NettyFraming.frame(ctx.alloc(), Payloads.SERVER_BYE))
                        .addListener(f -> ((DuplexChannel) ctx.channel()).shutdownOutput()
                                .addListener(g -> ctx.close()));
                served.increment();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failures.fail(cause);
            ctx.close();
        }
    }
}
