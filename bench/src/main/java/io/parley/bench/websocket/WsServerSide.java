package io.parley.bench.websocket;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.channel.ChannelPipeline;
import io.parley.bench.harness.Payloads;

import java.nio.charset.StandardCharsets;

/**
 * The server side of a WebSocket connection: the upgrade request's {@value #CALLER_HEADER} header is the
 * caller data, checked before the handshake (a wrong one gets 403); the 101 answer carries
 * {@value #CALLEE_HEADER}. After the upgrade, frames go to {@link #onFrame}.
 */
abstract class WsServerSide extends ChannelInboundHandlerAdapter {
    /** The request header that carries the caller data. */
    static final String CALLER_HEADER = "X-Caller-Data";
    /** The response header that carries the callee data. */
    static final String CALLEE_HEADER = "X-Callee-Data";
    static final String CALLER_TEXT = new String(Payloads.CALLER_DATA, StandardCharsets.US_ASCII);
    static final String CALLEE_TEXT = new String(Payloads.CALLEE_DATA, StandardCharsets.US_ASCII);

    private final int maxFrame;

    WsServerSide(int maxFrame) {
        this.maxFrame = maxFrame;
    }

    /** Adds the HTTP codec, the aggregator for the upgrade request, and {@code side}. */
    static void install(ChannelPipeline pipeline, WsServerSide side) {
        pipeline.addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), side);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof FullHttpRequest request) {
            try {
                upgrade(ctx, request);
            } finally {
                request.release();
            }
        } else {
            WebSocketFrame frame = (WebSocketFrame) msg;
            try {
                onFrame(ctx, frame);
            } finally {
                frame.release();
            }
        }
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!CALLER_TEXT.equals(request.headers().get(CALLER_HEADER))) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.FORBIDDEN))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                "ws://127.0.0.1/", null, false, maxFrame).newHandshaker(request);
        HttpHeaders answer = new DefaultHttpHeaders().set(CALLEE_HEADER, CALLEE_TEXT);
        handshaker.handshake(ctx.channel(), request, answer, ctx.newPromise()).addListener(f -> {
            if (f.isSuccess()) {
                onOpen(ctx);
            } else {
                ctx.fireExceptionCaught(f.cause());
            }
        });
    }

    /** The upgrade was answered. */
    abstract void onOpen(ChannelHandlerContext ctx);

    /** A frame arrived (released after this returns). */
    abstract void onFrame(ChannelHandlerContext ctx, WebSocketFrame frame) throws Exception;
}
