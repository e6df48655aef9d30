package io.parley.bench.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.parley.bench.harness.Latencies;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The client of a ping-pong on its event loop: sends a request, and on each answer records the round trip
 * and sends the next, until the deadline. Shared by the Netty and WebSocket runs, which differ in framing.
 */
public final class PingPongClient extends ChannelInboundHandlerAdapter {
    private final Function<ChannelHandlerContext, Object> request;
    private final Consumer<Object> checkAnswer;
    private final Latencies latencies = new Latencies(1 << 20);
    private final CompletableFuture<Latencies> done = new CompletableFuture<>();
    private ChannelHandlerContext ctx;
    private long deadline;
    private long sentAt;

    /** A client sending {@code request}s; {@code checkAnswer} checks (and releases) each answer. */
    public PingPongClient(Function<ChannelHandlerContext, Object> request, Consumer<Object> checkAnswer) {
        this.request = request;
        this.checkAnswer = checkAnswer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    /** Starts; completes with the round trips once the deadline passed. */
    public CompletableFuture<Latencies> start(long deadlineNanos) {
        ctx.channel().eventLoop().execute(() -> {
            deadline = deadlineNanos;
            send();
        });
        return done;
    }

    private void send() {
        sentAt = System.nanoTime();
        ctx.writeAndFlush(request.apply(ctx));
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        long now = System.nanoTime();
        latencies.record(now - sentAt);
        checkAnswer.accept(msg);
        if (now - deadline < 0) {
            send();
        } else {
            done.complete(latencies);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        done.completeExceptionally(cause);
        context.close();
    }
}
