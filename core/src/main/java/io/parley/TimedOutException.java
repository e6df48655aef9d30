package io.parley;

import java.net.SocketTimeoutException;

/**
 * No answer in time: a connect, receive, send or linger bound passed (WSAETIMEDOUT).
 */
public final class TimedOutException extends SocketTimeoutException implements WinsockCoded {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a description of what happened.
     *
     * @param message the description
     */
    public TimedOutException(String message) {
        super(message);
    }

    @Override
    public WinsockError winsockError() {
        return WinsockError.WSAETIMEDOUT;
    }
}
