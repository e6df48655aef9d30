package io.parley;

import java.net.UnknownHostException;

/**
 * The address names a host that was not resolved to an IP address, so nothing was sent
 * (WSAHOST_NOT_FOUND).
 */
public final class HostNotFoundException extends UnknownHostException implements WinsockCoded {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a description of what happened.
     *
     * @param message the address and the operating system's own text
     */
    public HostNotFoundException(String message) {
        super(message);
    }

    /**
     * The Winsock error of this outcome.
     *
     * @return {@link WinsockError#WSAHOST_NOT_FOUND}
     */
    @Override
    public WinsockError winsockError() {
        return WinsockError.WSAHOST_NOT_FOUND;
    }
}
