package io.parley;

import java.net.SocketException;

/**
 * The direction was shut down: a send after the local disconnect, a receive after receive-disconnect, or a
 * send to a peer that closed (WSAESHUTDOWN).
 */
public final class ShutdownException extends SocketException implements WinsockCoded {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a description of what happened.
     *
     * @param message the description
     */
    public ShutdownException(String message) {
        super(message);
    }

    @Override
    public WinsockError winsockError() {
        return WinsockError.WSAESHUTDOWN;
    }
}
