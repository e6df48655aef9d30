package io.parley;

import java.io.IOException;

/**
 * A non-blocking call has no result yet, for example receive-disconnect before the peer's disconnect
 * arrived (WSAEWOULDBLOCK). Nothing was changed.
 */
public final class WouldBlockException extends IOException implements WinsockCoded {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a description of what happened.
     *
     * @param message the description
     */
    public WouldBlockException(String message) {
        super(message);
    }

    @Override
    public WinsockError winsockError() {
        return WinsockError.WSAEWOULDBLOCK;
    }
}
