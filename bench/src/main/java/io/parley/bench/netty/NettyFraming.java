package io.parley.bench.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

import java.io.IOException;

/** Netty's messages: a 4-byte length, then the bytes, decoded by Netty's own length-field decoder. */
public final class NettyFraming {
    private NettyFraming() {
    }

    /** A decoder for messages of at most {@code maxMessage} bytes (the length is stripped). */
    public static LengthFieldBasedFrameDecoder decoder(int maxMessage) {
        return new LengthFieldBasedFrameDecoder(maxMessage + 4, 0, 4, 0, 4);
    }

    /** One framed message in a pooled buffer, as a hand-written encoder would make it. */
    public static ByteBuf frame(ByteBufAllocator alloc, byte[] payload) {
        ByteBuf buffer = alloc.ioBuffer(4 + payload.length);
        buffer.writeInt(payload.length).writeBytes(payload);
        return buffer;
    }

    /** The bytes of a received frame, which is released. */
    public static byte[] take(Object message) {
        ByteBuf buffer = (ByteBuf) message;
        try {
            return ByteBufUtil.getBytes(buffer);
        } finally {
            buffer.release();
        }
    }

    /** True for failures that only mean the peer went away (a reset, a closed channel). */
    public static boolean isPeerGone(Throwable cause) {
        return cause instanceof IOException;
    }
}
