package io.parley;

import java.io.IOException;

/**
 * The condition deferred the connection request (CF_DEFER): it stays pending and the next accept presents
 * it again (WSATRY_AGAIN).
 */
public class RequestDeferredException extends IOException implements WinsockCoded {
    private static final long serialVersionUID = 1L;

    /** An exception with a description of what happened. */
    public RequestDeferredException(String message) {
        super(message);
    }

    @Override
    public WinsockError winsockError() {
        return WinsockError.WSATRY_AGAIN;
    }
}
