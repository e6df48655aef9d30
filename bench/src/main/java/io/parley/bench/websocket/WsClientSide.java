package io.parley.bench.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.parley.bench.harness.CountMismatchException;

import java.net.InetSocketAddress;
import java.net.URI;

/**
 * The client side of a WebSocket connection: sends the upgrade request with the caller data header, checks
 * the callee data header of the answer, then hands frames to {@link #onFrame}.
 */
abstract class WsClientSide extends ChannelInboundHandlerAdapter {
    private final WebSocketClientHandshaker handshaker;

    WsClientSide(InetSocketAddress server, int maxFrame) {
        URI uri = URI.create("ws://127.0.0.1:" + server.getPort() + "/");
        handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13, null, false,
                new DefaultHttpHeaders().set(WsServerSide.CALLER_HEADER, WsServerSide.CALLER_TEXT), maxFrame);
    }

    /** Adds the HTTP codec, the aggregator for the upgrade answer, and {@code side}. */
    static void install(ChannelPipeline pipeline, WsClientSide side) {
        pipeline.addLast(new HttpClientCodec(), new HttpObjectAggregator(8192), side);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        handshaker.handshake(ctx.channel());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!handshaker.isHandshakeComplete()) {
            FullHttpResponse response = (FullHttpResponse) msg;
            try {
                handshaker.finishHandshake(ctx.channel(), response);
                CountMismatchException.require(WsServerSide.CALLEE_TEXT.equals(
                        response.headers().get(WsServerSide.CALLEE_HEADER)), "callee data header missing or wrong");
            } finally {
                response.release();
            }
            onOpen(ctx);
            return;
        }
        WebSocketFrame frame = (WebSocketFrame) msg;
        try {
            onFrame(ctx, frame);
        } finally {
            frame.release();
        }
    }

    /** The upgrade was accepted. */
    abstract void onOpen(ChannelHandlerContext ctx) throws Exception;

    /** A frame arrived (released after this returns). */
    abstract void onFrame(ChannelHandlerContext ctx, WebSocketFrame frame) throws Exception;
}
