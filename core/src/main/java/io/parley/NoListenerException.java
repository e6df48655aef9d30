package io.parley;

import java.net.ConnectException;

/**
 * Nothing listens at the address: the transport itself refused the connection (a closed port). Distinct
 * from {@link ConnectionRefusedException}, where a Parley callee answered and refused.
 */
public final class NoListenerException extends ConnectException implements WinsockCoded {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a description of what happened.
     *
     * @param message the description
     */
    public NoListenerException(String message) {
        super(message);
    }

    @Override
    public WinsockError winsockError() {
        return WinsockError.WSAECONNREFUSED;
    }
}
