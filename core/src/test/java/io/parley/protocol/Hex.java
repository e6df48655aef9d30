package io.parley.protocol;

import java.util.HexFormat;

/** Hex strings in the vectors: lower case, spaces ignored on input. */
final class Hex {
    private static final HexFormat FORMAT = HexFormat.of();

    private Hex() {
    }

    static byte[] parse(String hex) {
        return FORMAT.parseHex(hex.replace(" ", ""));
    }

    static String of(byte[] bytes) {
        return FORMAT.formatHex(bytes);
    }
}
