package io.parley;

import java.net.BindException;

/**
 * The address is already in use (WSAEADDRINUSE): the local address and port the connection would use
 * already belong to a connection to the same remote address.
 */
public final class AddressInUseException extends BindException implements WinsockCoded {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a description of what happened.
     *
     * @param message the address and the operating system's own text
     */
    public AddressInUseException(String message) {
        super(message);
    }

    /**
     * The Winsock error of this outcome.
     *
     * @return {@link WinsockError#WSAEADDRINUSE}
     */
    @Override
    public WinsockError winsockError() {
        return WinsockError.WSAEADDRINUSE;
    }
}
