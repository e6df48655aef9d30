package io.parley;

import java.net.SocketException;

/**
 * No descriptor is left for a new socket, in the process or the system (WSAEMFILE).
 */
public final class TooManyOpenFilesException extends SocketException implements WinsockCoded {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a description of what happened.
     *
     * @param message the address and the operating system's own text
     */
    public TooManyOpenFilesException(String message) {
        super(message);
    }

    /**
     * The Winsock error of this outcome.
     *
     * @return {@link WinsockError#WSAEMFILE}
     */
    @Override
    public WinsockError winsockError() {
        return WinsockError.WSAEMFILE;
    }
}
