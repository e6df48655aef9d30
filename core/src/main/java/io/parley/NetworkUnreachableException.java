package io.parley;

import java.net.NoRouteToHostException;

/**
 * The network of the address cannot be reached from this host: there is no route to it (WSAENETUNREACH).
 * Linux also answers so for a broadcast or multicast destination, which TCP cannot connect to.
 */
public final class NetworkUnreachableException extends NoRouteToHostException implements WinsockCoded {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a description of what happened.
     *
     * @param message the address and the operating system's own text
     */
    public NetworkUnreachableException(String message) {
        super(message);
    }

    /**
     * The Winsock error of this outcome.
     *
     * @return {@link WinsockError#WSAENETUNREACH}
     */
    @Override
    public WinsockError winsockError() {
        return WinsockError.WSAENETUNREACH;
    }
}
