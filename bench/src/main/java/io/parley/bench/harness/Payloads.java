package io.parley.bench.harness;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fixed byte patterns every implementation sends, so each side can check what it got: 16 bytes of
 * caller data, 16 of callee data, a 64-byte request and response, 8 bytes of disconnect data each way.
 */
public final class Payloads {
    /** Caller data sent with each connection request (16 bytes). */
    public static final byte[] CALLER_DATA = ascii("caller-data-0016");
    /** Callee data the server's condition answers with (16 bytes). */
    public static final byte[] CALLEE_DATA = ascii("callee-data-0016");
    /** The client's 64-byte message. */
    public static final byte[] REQUEST = pattern(64, 1);
    /** The server's 64-byte answer. */
    public static final byte[] RESPONSE = pattern(64, 7);
    /** The client's disconnect data (8 bytes). */
    public static final byte[] CLIENT_BYE = ascii("cli-bye!");
    /** The server's disconnect data (8 bytes). */
    public static final byte[] SERVER_BYE = ascii("srv-bye!");

    private Payloads() {
    }

    /** {@code size} bytes of a pattern that starts at {@code seed}. */
    public static byte[] pattern(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (seed + i * 31);
        }
        return bytes;
    }

    /** Throws {@link CountMismatchException} unless {@code actual} is {@code expected}. */
    public static void check(String what, byte[] expected, byte[] actual) {
        if (!Arrays.equals(expected, actual)) {
            throw new CountMismatchException(what + ": expected " + expected.length + " bytes "
                    + preview(expected) + ", got " + (actual == null ? "null" : actual.length + " bytes "
                    + preview(actual)));
        }
    }

    /** The 8 bytes of a count, big-endian (sent as end-of-stream data so the receiver can check it). */
    public static byte[] countBytes(long count) {
        byte[] bytes = new byte[8];
        for (int i = 7; i >= 0; i--) {
            bytes[i] = (byte) count;
            count >>>= 8;
        }
        return bytes;
    }

    /** The count in 8 big-endian bytes. */
    public static long countOf(byte[] bytes) {
        CountMismatchException.require(bytes.length == 8, "a count is 8 bytes, got " + bytes.length);
        long count = 0;
        for (byte b : bytes) {
            count = (count << 8) | (b & 0xFF);
        }
        return count;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String preview(byte[] bytes) {
        return Arrays.toString(Arrays.copyOf(bytes, Math.min(8, bytes.length))) + (bytes.length > 8 ? "..." : "");
    }
}
