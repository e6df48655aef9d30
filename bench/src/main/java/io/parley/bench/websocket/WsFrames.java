package io.parley.bench.websocket;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.parley.bench.harness.CountMismatchException;

import java.nio.charset.StandardCharsets;

/** Building and reading the frames the WebSocket peer uses. */
final class WsFrames {
    /** The close status of a normal end. */
    static final int NORMAL = 1000;

    private WsFrames() {
    }

    /** A binary frame holding a copy of {@code payload} in a pooled buffer. */
    static BinaryWebSocketFrame binary(ByteBufAllocator alloc, byte[] payload) {
        return new BinaryWebSocketFrame(alloc.ioBuffer(payload.length).writeBytes(payload));
    }

    /** The payload of a binary frame. */
    static byte[] bytes(WebSocketFrame frame) {
        CountMismatchException.require(frame instanceof BinaryWebSocketFrame, "expected a binary frame, got " + frame);
        return ByteBufUtil.getBytes(frame.content());
    }

    /** A close frame with the normal status and {@code reason} (ASCII) as its reason. */
    static CloseWebSocketFrame close(byte[] reason) {
        return new CloseWebSocketFrame(NORMAL, new String(reason, StandardCharsets.US_ASCII));
    }

    /** The reason of a close frame with the normal status, as bytes. */
    static byte[] reason(WebSocketFrame frame) {
        CountMismatchException.require(frame instanceof CloseWebSocketFrame, "expected a close frame, got " + frame);
        CloseWebSocketFrame close = (CloseWebSocketFrame) frame;
        CountMismatchException.require(close.statusCode() == NORMAL, "close status " + close.statusCode());
        return close.reasonText().getBytes(StandardCharsets.US_ASCII);
    }
}
