package io.parley;

import java.net.SocketException;

/**
 * The connection or listener was closed by this side and cannot be used any more.
 */
public final class ClosedException extends SocketException implements WinsockCoded {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a description of what happened.
     *
     * @param message the description
     */
    public ClosedException(String message) {
        super(message);
    }

    @Override
    public WinsockError winsockError() {
        return WinsockError.WSAENOTSOCK;
    }
}
