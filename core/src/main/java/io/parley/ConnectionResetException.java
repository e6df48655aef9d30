package io.parley;

/** The peer aborted the connection or the transport was reset (WSAECONNRESET). */
public final class ConnectionResetException extends ConnectionEndedException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception for a reset ending.
     *
     * @param indication how the connection ended
     */
    public ConnectionResetException(CloseIndication indication) {
        super(indication);
    }
}
