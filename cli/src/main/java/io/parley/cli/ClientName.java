package io.parley.cli;

import java.util.regex.Pattern;

/**
 * A client's name, sent as the caller data: 1 to 64 characters of {@code A-Z a-z 0-9 . _ @ -}, in UTF-8
 * (so plain ASCII).
 */
final class ClientName {
    /** The longest name, in characters and so in bytes: the caller data is never longer. */
    static final int MAX_BYTES = 64;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._@-]{1," + MAX_BYTES + "}");

    private ClientName() {
    }

    /** True if {@code name} may be used. */
    static boolean isValid(String name) {
        return VALID.matcher(name).matches();
    }

    /** Reads the name from caller data. */
    static String parse(byte[] callerData) throws WireFormatException {
        String name = Text.decode(callerData, "the caller data");
        if (!isValid(name)) {
            throw new WireFormatException("the caller data must be a client name of 1 to 64 characters "
                    + "A-Z a-z 0-9 . _ @ -, not " + Text.quote(callerData));
        }
        return name;
    }
}
