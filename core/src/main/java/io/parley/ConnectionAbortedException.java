package io.parley;

/**
 * The connection was aborted on this side: the transport ended without a disconnect, the peer broke the
 * protocol, a timeout passed, or the application aborted (WSAECONNABORTED, WSAETIMEDOUT for timeouts).
 */
public final class ConnectionAbortedException extends ConnectionEndedException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception for an aborted ending.
     *
     * @param indication how the connection ended
     */
    public ConnectionAbortedException(CloseIndication indication) {
        super(indication);
    }
}
