package io.parley.protocol;

import io.parley.ReasonCode;

/**
 * The peer broke the wire protocol: a malformed or oversized frame, a frame not allowed in the current
 * state, a foreign protocol. The only exception the decoder throws; the engine turns it into an abort with
 * {@link #reason()}.
 */
public final class ProtocolViolationException extends Exception {
    private static final long serialVersionUID = 1L;
    /** The reason code to abort with. @serial */
    private final ReasonCode reason;

    /**
     * A violation with the reason code to abort with and a description for logs and the peer.
     *
     * @param reason  the reason code to abort (or refuse) with
     * @param message the description
     */
    public ProtocolViolationException(ReasonCode reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /**
     * The reason code the connection is aborted (or the request rejected) with.
     *
     * @return the reason code the connection is aborted (or the request rejected) with
     */
    public ReasonCode reason() {
        return reason;
    }
}
