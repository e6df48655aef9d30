package io.parley;

import java.net.SocketException;

/**
 * The connection ended other than gracefully, as its close indication says: reset by the peer
 * ({@link ConnectionResetException}) or aborted ({@link ConnectionAbortedException}).
 */
public abstract sealed class ConnectionEndedException extends SocketException implements WinsockCoded
        permits ConnectionResetException, ConnectionAbortedException {
    private static final long serialVersionUID = 1L;
    private final transient CloseIndication indication;

    ConnectionEndedException(CloseIndication indication) {
        super(indication.kind() + " (" + indication.reason() + ")"
                + (indication.detail().isEmpty() ? "" : ": " + indication.detail()));
        this.indication = indication;
    }

    /**
     * How the connection ended.
     *
     * @return how the connection ended
     */
    public CloseIndication indication() {
        return indication;
    }

    @Override
    public WinsockError winsockError() {
        return indication.winsockError();
    }

    /**
     * The exception for a non-graceful ending: reset for {@code RESET}, aborted otherwise.
     *
     * @param indication how the connection ended; not graceful
     * @return a {@link ConnectionResetException} or a {@link ConnectionAbortedException}
     */
    public static ConnectionEndedException of(CloseIndication indication) {
        return indication.kind() == CloseIndication.Kind.RESET
                ? new ConnectionResetException(indication) : new ConnectionAbortedException(indication);
    }
}
