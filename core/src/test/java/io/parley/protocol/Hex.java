package io.parley.protocol;

import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hex strings in the vectors: lower case, spaces ignored on input, and {@code [XX*N]} standing for the byte
 * XX repeated N times (the run notation of docs/vectors, defined in the files' headers).
 */
final class Hex {
    private static final HexFormat FORMAT = HexFormat.of();
    private static final Pattern RUN = Pattern.compile("\\[([0-9a-fA-F]{2})\\*(\\d+)]");

    private Hex() {
    }

    /** The bytes of a hex string, which may contain spaces and runs {@code [XX*N]}. */
    static byte[] parse(String hex) {
        String text = hex.replace(" ", "");
        if (text.indexOf('[') < 0) {
            return FORMAT.parseHex(text);
        }
        // Two passes, so that a run of 16 MiB is filled in place rather than spelled out as text first.
        long length = 0;
        Matcher run = RUN.matcher(text);
        int plain = 0;
        int at = 0;
        while (run.find()) {
            plain += run.start() - at;
            length += Long.parseLong(run.group(2));
            at = run.end();
        }
        plain += text.length() - at;
        if (plain % 2 != 0 || text.replaceAll(RUN.pattern(), "").indexOf('[') >= 0) {
            throw new IllegalArgumentException("malformed hex: " + abbreviate(text));
        }
        length += plain / 2;
        byte[] bytes = new byte[Math.toIntExact(length)];
        int filled = 0;
        at = 0;
        run.reset();
        while (run.find()) {
            filled = copyHex(text.substring(at, run.start()), bytes, filled);
            int count = Integer.parseInt(run.group(2));
            java.util.Arrays.fill(bytes, filled, filled + count, (byte) Integer.parseInt(run.group(1), 16));
            filled += count;
            at = run.end();
        }
        copyHex(text.substring(at), bytes, filled);
        return bytes;
    }

    /** The text with every run {@code [XX*N]} written out as N times XX. */
    static String expand(String text) {
        if (text.indexOf('[') < 0) {
            return text;
        }
        Matcher run = RUN.matcher(text);
        StringBuilder out = new StringBuilder();
        while (run.find()) {
            run.appendReplacement(out, run.group(1).toLowerCase(java.util.Locale.ROOT)
                    .repeat(Integer.parseInt(run.group(2))));
        }
        run.appendTail(out);
        return out.toString();
    }

    static String of(byte[] bytes) {
        return FORMAT.formatHex(bytes);
    }

    private static int copyHex(String hex, byte[] into, int offset) {
        byte[] part = FORMAT.parseHex(hex);
        System.arraycopy(part, 0, into, offset, part.length);
        return offset + part.length;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
