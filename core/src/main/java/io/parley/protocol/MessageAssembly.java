package io.parley.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The message being received in fragments, joined as its bytes arrive. If its size was announced
 * (MESSAGE_SIZE), the array is allocated for exactly that size and handed out without a copy; otherwise it
 * grows by doubling and is trimmed to the message when taken. Owned by one decoder.
 */
final class MessageAssembly {
    /**
     * The most allocated for an announced message before more than this many of its bytes have arrived: a
     * peer that announces a large message and sends little makes the receiver hold no more than this.
     */
    static final int UPFRONT_LIMIT = 1 << 20;
    private static final byte[] EMPTY = new byte[0];
    private static final int UNKNOWN = -1;

    private final int maxSize;
    private byte[] bytes = EMPTY;
    private int length;
    private int announced = UNKNOWN;

    /** An empty assembly for messages of at most {@code maxSize} bytes. */
    MessageAssembly(long maxSize) {
        this.maxSize = (int) Math.min(Integer.MAX_VALUE - 8, maxSize);
    }

    /** The message now starting is {@code size} bytes long (checked by the decoder against the limit). */
    void announce(long size) {
        announced = (int) size;
    }

    /** Appends the next {@code count} bytes of {@code src}; the decoder never exceeds the announced size. */
    void put(ByteBuffer src, int count) {
        int needed = length + count;
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, capacityFor(needed));
        }
        src.get(bytes, length, count);
        length = needed;
    }

    /** The whole message, then the assembly is empty again for the next one. */
    byte[] take() {
        byte[] message = length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
        bytes = EMPTY;
        length = 0;
        announced = UNKNOWN;
        return message;
    }

    private int capacityFor(int needed) {
        if (announced != UNKNOWN) {
            return needed <= UPFRONT_LIMIT ? Math.min(announced, UPFRONT_LIMIT) : announced;
        }
        // In long: doubling past 1 GiB must not overflow.
        return (int) Math.max(needed, Math.min(maxSize, Math.max(16, 2L * bytes.length)));
    }
}
