package io.parley;

import java.net.BindException;

/**
 * The address is not valid in its context (WSAEADDRNOTAVAIL): a remote address that cannot be connected to,
 * such as the wildcard address or an IPv6 link-local address without a scope, or no local address and port
 * left to connect from.
 */
public final class AddressNotAvailableException extends BindException implements WinsockCoded {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a description of what happened.
     *
     * @param message the address and the operating system's own text
     */
    public AddressNotAvailableException(String message) {
        super(message);
    }

    /**
     * The Winsock error of this outcome.
     *
     * @return {@link WinsockError#WSAEADDRNOTAVAIL}
     */
    @Override
    public WinsockError winsockError() {
        return WinsockError.WSAEADDRNOTAVAIL;
    }
}
