package io.parley;

import java.net.SocketException;

/**
 * The system does not permit the connection (WSAEACCES): for example a firewall rule, or a destination
 * this socket may not reach.
 */
public final class PermissionDeniedException extends SocketException implements WinsockCoded {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a description of what happened.
     *
     * @param message the address and the operating system's own text
     */
    public PermissionDeniedException(String message) {
        super(message);
    }

    /**
     * The Winsock error of this outcome.
     *
     * @return {@link WinsockError#WSAEACCES}
     */
    @Override
    public WinsockError winsockError() {
        return WinsockError.WSAEACCES;
    }
}
