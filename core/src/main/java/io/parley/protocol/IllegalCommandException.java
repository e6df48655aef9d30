package io.parley.protocol;

import io.parley.WinsockCoded;
import io.parley.WinsockError;

/**
 * A command the engine cannot carry out in its current state or with these arguments: sending after the
 * local disconnect (WSAESHUTDOWN), before the connection opened (WSAENOTCONN), data over the peer's limit
 * (WSAEMSGSIZE), connecting twice (WSAEISCONN). The engine's state is unchanged by a refused command.
 */
public final class IllegalCommandException extends IllegalStateException implements WinsockCoded {
    private static final long serialVersionUID = 1L;
    private final transient WinsockError error;

    /**
     * A refused command with its Winsock error and a description.
     *
     * @param error   the Winsock error of the refusal
     * @param message the description
     */
    public IllegalCommandException(WinsockError error, String message) {
        super(message);
        this.error = error;
    }

    @Override
    public WinsockError winsockError() {
        return error;
    }
}
