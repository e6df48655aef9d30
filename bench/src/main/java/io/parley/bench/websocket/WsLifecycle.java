package io.parley.bench.websocket;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.parley.bench.harness.CountMismatchException;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Figures;
import io.parley.bench.harness.OsCounters;
import io.parley.bench.harness.Payloads;
import io.parley.bench.harness.StandardFigures;
import io.parley.bench.harness.Threads;
import io.parley.bench.harness.Trial;
import io.parley.bench.netty.NettyFraming;
import io.parley.bench.netty.NettyLoops;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The lifecycle over WebSocket: caller and callee data in the upgrade headers (checked by the server before
 * it answers 101), one binary request and response, then the close handshake with status 1000 and 8 bytes of
 * reason each way; the server closes the TCP connection, as RFC 6455 has it.
 */
public final class WsLifecycle implements Trial {
    private static final int CLIENTS = 32;

    private final NettyLoops loops = NettyLoops.shared();
    private final FailureLatch failures = new FailureLatch();
    private final LongAdder served = new LongAdder();
    private final Channel server;

    /** Starts the server. */
    public WsLifecycle() throws InterruptedException {
        server = loops.bind(false, p -> WsServerSide.install(p, new ServerSide()));
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
            throw new IllegalStateException("websocket lifecycle clients did not stop");
        }
        long elapsed = System.nanoTime() - start;
        failures.rethrow("websocket lifecycle");
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
            this.bootstrap = loops.bootstrap(false, p -> WsClientSide.install(p, new ClientSide(address, this)));
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

    /** The client's side of one lifecycle. */
    private static final class ClientSide extends WsClientSide {
        private final ClientLoop loop;
        private int step;
        private boolean reported;

        ClientSide(InetSocketAddress server, ClientLoop loop) {
            super(server, 1024);
            this.loop = loop;
        }

        @Override
        void onOpen(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(WsFrames.binary(ctx.alloc(), Payloads.REQUEST));
        }

        @Override
        void onFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
            switch (step++) {
                case 0 -> {
                    Payloads.check("response", Payloads.RESPONSE, WsFrames.bytes(frame));
                    ctx.writeAndFlush(WsFrames.close(Payloads.CLIENT_BYE));
                }
                case 1 -> Payloads.check("server close reason", Payloads.SERVER_BYE, WsFrames.reason(frame));
                default -> throw new CountMismatchException("frame after the server's close");
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (reported) {
                return;
            }
            reported = true;
            if (step == 2) {
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

    /** The server's side: echo, then answer the close with its own reason and close the connection. */
    private final class ServerSide extends WsServerSide {
        private int step;

        ServerSide() {
            super(1024);
        }

        @Override
        void onOpen(ChannelHandlerContext ctx) {
        }

        @Override
        void onFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
            switch (step++) {
                case 0 -> {
                    Payloads.check("request", Payloads.REQUEST, WsFrames.bytes(frame));
                    ctx.writeAndFlush(WsFrames.binary(ctx.alloc(), Payloads.RESPONSE));
                }
                case 1 -> {
                    Payloads.check("client close reason", Payloads.CLIENT_BYE, WsFrames.reason(frame));
                    ctx.writeAndFlush(WsFrames.close(Payloads.SERVER_BYE)).addListener(ChannelFutureListener.CLOSE);
                    served.increment();
                }
                default -> throw new CountMismatchException("frame after the client's close");
            }
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
