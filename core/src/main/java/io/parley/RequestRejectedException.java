package io.parley;

import java.io.IOException;

/**
 * Listener side: the condition rejected the request (CF_REJECT), or failed and so rejected it; the accept
 * call reports it as WSAECONNREFUSED, and the caller's connect fails with {@link ConnectionRefusedException}.
 */
public class RequestRejectedException extends IOException implements WinsockCoded {
    private static final long serialVersionUID = 1L;
    private final transient ReasonCode reason;

    /** A rejection with the reason sent to the caller. */
    public RequestRejectedException(ReasonCode reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** The reason sent to the caller. */
    public ReasonCode reason() {
        return reason;
    }

    @Override
    public WinsockError winsockError() {
        return WinsockError.WSAECONNREFUSED;
    }
}
