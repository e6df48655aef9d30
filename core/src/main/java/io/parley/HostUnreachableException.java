package io.parley;

import java.net.NoRouteToHostException;

/**
 * The host cannot be reached: its network can, but the host does not answer there or is down
 * (WSAEHOSTUNREACH).
 */
public final class HostUnreachableException extends NoRouteToHostException implements WinsockCoded {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a description of what happened.
     *
     * @param message the address and the operating system's own text
     */
    public HostUnreachableException(String message) {
        super(message);
    }

    /**
     * The Winsock error of this outcome.
     *
     * @return {@link WinsockError#WSAEHOSTUNREACH}
     */
    @Override
    public WinsockError winsockError() {
        return WinsockError.WSAEHOSTUNREACH;
    }
}
