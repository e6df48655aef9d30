package io.parley;

import java.net.SocketException;

/**
 * The network subsystem failed (WSAENETDOWN): the network is down, or the network stack reported an
 * error that has no more precise Winsock code (the message keeps its text).
 */
public final class NetworkDownException extends SocketException implements WinsockCoded {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a description of what happened.
     *
     * @param message the address and the operating system's own text
     */
    public NetworkDownException(String message) {
        super(message);
    }

    /**
     * The Winsock error of this outcome.
     *
     * @return {@link WinsockError#WSAENETDOWN}
     */
    @Override
    public WinsockError winsockError() {
        return WinsockError.WSAENETDOWN;
    }
}
