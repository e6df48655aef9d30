package io.parley.bench.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Sends messages as fast as the channel takes them, on its event loop: writes while the channel is writable
 * and flushes when it is not (Netty's own batching: many writes, one writev), until the deadline; then
 * writes the end message. Shared by the Netty and WebSocket one-way runs, which differ only in framing.
 */
public final class OneWaySender extends ChannelInboundHandlerAdapter {
    private final Function<ChannelHandlerContext, Object> message;
    private final BiFunction<ChannelHandlerContext, Long, Object> end;
    private final CompletableFuture<Long> sentCount = new CompletableFuture<>();
    private ChannelHandlerContext ctx;
    private long deadline;
    private long sent;
    private boolean pumping;
    private boolean finished;

    /** A sender of {@code message}s, ending with {@code end} (given the count). */
    public OneWaySender(Function<ChannelHandlerContext, Object> message, BiFunction<ChannelHandlerContext, Long, Object> end) {
        this.message = message;
        this.end = end;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    /** Starts sending until {@code deadlineNanos}; completes with the number of messages sent. */
    public CompletableFuture<Long> start(long deadlineNanos) {
        ctx.channel().eventLoop().execute(() -> {
            deadline = deadlineNanos;
            pump();
        });
        return sentCount;
    }

    private void pump() {
        if (pumping || finished) {
            return;
        }
        pumping = true;
        try {
            while (!finished) {
                if (!ctx.channel().isWritable()) {
                    ctx.flush();
                    if (!ctx.channel().isWritable()) {
                        return;
                    }
                }
                if (System.nanoTime() - deadline >= 0) {
                    finished = true;
                    ctx.writeAndFlush(end.apply(ctx, sent));
                    sentCount.complete(sent);
                    return;
                }
                ctx.write(message.apply(ctx));
                sent++;
            }
        } finally {
            pumping = false;
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (context.channel().isWritable()) {
            pump();
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        sentCount.completeExceptionally(cause);
        context.close();
    }
}
