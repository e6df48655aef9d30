package io.parley.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable big-endian byte buffer the encoder writes into. Not thread-safe; owned by one engine (or
 * one encoding call).
 */
final class OutputBuffer {
    /** The largest array a JVM reliably allocates. */
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;
    private byte[] bytes;
    private int length;
    /** The view {@link #view()} hands out, reused while the array stays the same (one less object per batch). */
    private ByteBuffer view;

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
        if (view == null || view.array() != bytes) {
            view = ByteBuffer.wrap(bytes);
        }
        return view.limit(length).position(0);
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
            // In long: doubling past 1 GiB must not overflow (an overflow grew by exactly what was needed,
            // copying the whole buffer again for every write).
            long doubled = Math.min(MAX_CAPACITY, 2L * bytes.length);
            bytes = Arrays.copyOf(bytes, (int) Math.max(needed, doubled));
        }
    }
}
