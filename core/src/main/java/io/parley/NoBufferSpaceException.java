package io.parley;

import java.net.SocketException;

/**
 * The system lacked the buffer space or the queue room for the connection (WSAENOBUFS).
 */
public final class NoBufferSpaceException extends SocketException implements WinsockCoded {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a description of what happened.
     *
     * @param message the address and the operating system's own text
     */
    public NoBufferSpaceException(String message) {
        super(message);
    }

    /**
     * The Winsock error of this outcome.
     *
     * @return {@link WinsockError#WSAENOBUFS}
     */
    @Override
    public WinsockError winsockError() {
        return WinsockError.WSAENOBUFS;
    }
}
