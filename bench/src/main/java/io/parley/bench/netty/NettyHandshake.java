package io.parley.bench.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.HandshakePeer;
import io.parley.bench.harness.Payloads;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Netty's nearest equivalent of a conditional accept: a read timeout guards the 16-byte request; the
 * handler checks it, removes the timeout and answers with 16 bytes; the channel is then held until the client
 * closes it.
 */
public final class NettyHandshake implements HandshakePeer {
    private final NettyLoops loops = NettyLoops.shared();
    private final LongAdder accepted = new LongAdder();
    private Channel server;
    private FailureLatch failures;

    @Override
    public InetSocketAddress startServer(Duration handshakeTimeout, FailureLatch failureLatch) throws Exception {
        this.failures = failureLatch;
        server = loops.bind(false, p -> p.addLast("timeout", new ReadTimeoutHandler(handshakeTimeout.toMillis(),
                TimeUnit.MILLISECONDS)).addLast(NettyFraming.decoder(64), new Condition()));
        return NettyLoops.address(server);
    }

    @Override
    public long accepted() {
        return accepted.sum();
    }

    @Override
    public AutoCloseable connect(InetSocketAddress address) throws Exception {
        Answer answer = new Answer();
        Channel channel = loops.bootstrap(false, p -> p.addLast(NettyFraming.decoder(64), answer))
                .connect(address).sync().channel();
        channel.writeAndFlush(NettyFraming.frame(channel.alloc(), Payloads.CALLER_DATA));
        Payloads.check("callee data", Payloads.CALLEE_DATA, answer.calleeData.get(10, TimeUnit.SECONDS));
        return () -> channel.close().sync();
    }

    @Override
    public byte[] halfRequest() {
        byte[] request = new byte[4 + Payloads.CALLER_DATA.length];
        request[3] = (byte) Payloads.CALLER_DATA.length;
        System.arraycopy(Payloads.CALLER_DATA, 0, request, 4, Payloads.CALLER_DATA.length);
        return Arrays.copyOf(request, request.length / 2);
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.close().sync();
        }
    }

    /** The server's condition. */
    private final class Condition extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            byte[] request = NettyFraming.take(msg);
            if (!Arrays.equals(request, Payloads.CALLER_DATA)) {
                ctx.close();
                return;
            }
            ctx.pipeline().remove("timeout");
            accepted.increment();
            ctx.writeAndFlush(NettyFraming.frame(ctx.alloc(), Payloads.CALLEE_DATA));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof ReadTimeoutException) && !NettyFraming.isPeerGone(cause)) {
                failures.fail(cause);
            }
            ctx.close();
        }
    }

    /** The client's wait for the answer. */
    private static final class Answer extends ChannelInboundHandlerAdapter {
        final CompletableFuture<byte[]> calleeData = new CompletableFuture<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            calleeData.complete(NettyFraming.take(msg));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            calleeData.completeExceptionally(new IllegalStateException("closed before the answer"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            calleeData.completeExceptionally(cause);
            ctx.close();
        }
    }
}
