package io.parley;

import java.net.SocketException;

/**
 * The connection is not open (yet): the call needs an established connection (WSAENOTCONN).
 */
public final class NotConnectedException extends SocketException implements WinsockCoded {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a description of what happened.
     *
     * @param message the description
     */
    public NotConnectedException(String message) {
        super(message);
    }

    @Override
    public WinsockError winsockError() {
        return WinsockError.WSAENOTCONN;
    }
}
