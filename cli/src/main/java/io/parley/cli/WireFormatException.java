package io.parley.cli;

import java.io.IOException;

/** Data from the peer does not follow the totals formats of docs/totals.md. */
final class WireFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** An exception saying what was expected and what came. */
    WireFormatException(String message) {
        super(message);
    }
}
