package io.parley;

import java.io.IOException;

/**
 * The operation is not supported on this connection (WSAEOPNOTSUPP), such as a QoS renegotiation with a peer
 * that speaks only protocol version 1. Nothing was changed.
 */
public final class OperationNotSupportedException extends IOException implements WinsockCoded {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a description of what happened.
     *
     * @param message the description
     */
    public OperationNotSupportedException(String message) {
        super(message);
    }

    @Override
    public WinsockError winsockError() {
        return WinsockError.WSAEOPNOTSUPP;
    }
}
