package io.parley;

import java.net.ConnectException;

/**
 * The callee refused the connection request (CF_REJECT, a full queue, shutting down, ...), with its reason.
 * The Winsock error is WSAECONNREFUSED unless the reason maps to a more precise one (WSAEMSGSIZE for
 * caller data over the callee's limit, WSAEOPNOTSUPP for QoS it cannot honour).
 */
public class ConnectionRefusedException extends ConnectException implements WinsockCoded {
    private static final long serialVersionUID = 1L;
    private final transient ReasonCode reason;
    private final String reasonText;

    /** A refusal with the callee's reason code and reason text (possibly empty). */
    public ConnectionRefusedException(ReasonCode reason, String reasonText) {
        super("connection refused (" + reason + ")" + (reasonText.isEmpty() ? "" : ": " + reasonText));
        this.reason = reason;
        this.reasonText = reasonText;
    }

    /** The callee's reason code. */
    public ReasonCode reason() {
        return reason;
    }

    /** The callee's reason data as text, possibly empty. */
    public String reasonText() {
        return reasonText;
    }

    @Override
    public WinsockError winsockError() {
        return reason.winsockError() == WinsockError.WSAECONNREFUSED || reason.isLocalOnly()
                ? WinsockError.WSAECONNREFUSED : reason.winsockError();
    }
}
