package io.parley.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 text and decimal numbers, as every totals format uses them. */
final class Text {
    /** The most digits a number may have: every such number fits in a long. */
    static final int MAX_DIGITS = 18;

    private Text() {
    }

    /** The UTF-8 bytes of {@code text}. */
    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes UTF-8, failing on malformed input instead of replacing it. */
    static String decode(byte[] data, String what) throws WireFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            throw new WireFormatException(what + " is not valid UTF-8");
        }
    }

    /**
     * Parses a non-negative decimal number: ASCII digits only, no sign, no leading zero (except "0" itself),
     * at most {@link #MAX_DIGITS} digits.
     */
    static long decimal(String text, String what) throws WireFormatException {
        boolean digits = !text.isEmpty() && text.length() <= MAX_DIGITS
                && text.chars().allMatch(c -> c >= '0' && c <= '9')
                && (text.length() == 1 || text.charAt(0) != '0');
        if (!digits) {
            throw new WireFormatException(what + " must be a decimal number of at most " + MAX_DIGITS
                    + " digits without sign or leading zeros, not '" + text + "'");
        }
        return Long.parseLong(text);
    }

    /** Quotes data for a log line or the demo's table, as UTF-8 where it is, with a hint where it is not. */
    static String quote(byte[] data) {
        try {
            return "\"" + decode(data, "data") + "\"";
        } catch (WireFormatException e) {
            return "(" + data.length + " bytes, not UTF-8)";
        }
    }
}
