package io.parley.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable big-endian byte buffer the encoder writes into. Not thread-safe; owned by one engine (or
 * one encoding call).
 */
final class OutputBuffer {
    private byte[] bytes;
    private int length;

    OutputBuffer(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    int length() {
        return length;
    }

    void clear() {
        length = 0;
    }

    /** The written bytes, readable from position 0 to {@link #length()}; valid until the next write. */
    ByteBuffer view() {
        return ByteBuffer.wrap(bytes, 0, length);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    void u8(int value) {
        ensure(1);
        bytes[length++] = (byte) value;
    }

    void u16(int value) {
        ensure(2);
        bytes[length++] = (byte) (value >>> 8);
        bytes[length++] = (byte) value;
    }

    void u32(long value) {
        ensure(4);
        bytes[length++] = (byte) (value >>> 24);
        bytes[length++] = (byte) (value >>> 16);
        bytes[length++] = (byte) (value >>> 8);
        bytes[length++] = (byte) value;
    }

    void put(byte[] src) {
        put(src, 0, src.length);
    }

    void put(byte[] src, int offset, int count) {
        ensure(count);
        System.arraycopy(src, offset, bytes, length, count);
        length += count;
    }

    void put(ByteBuffer src, int count) {
        ensure(count);
        src.get(bytes, length, count);
        length += count;
    }

    private void ensure(int more) {
        int needed = length + more;
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
        }
    }
}
