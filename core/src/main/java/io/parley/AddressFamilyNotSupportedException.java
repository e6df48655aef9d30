package io.parley;

import java.net.SocketException;

/**
 * The address belongs to a family that this transport or this machine's network stack cannot use
 * (WSAEAFNOSUPPORT): for example a Unix-domain address given to TCP, or an IPv6 address where the JVM uses
 * IPv4 only.
 */
public final class AddressFamilyNotSupportedException extends SocketException implements WinsockCoded {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a description of what happened.
     *
     * @param message the address and the operating system's own text
     */
    public AddressFamilyNotSupportedException(String message) {
        super(message);
    }

    /**
     * The Winsock error of this outcome.
     *
     * @return {@link WinsockError#WSAEAFNOSUPPORT}
     */
    @Override
    public WinsockError winsockError() {
        return WinsockError.WSAEAFNOSUPPORT;
    }
}
