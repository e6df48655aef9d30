package io.parley.protocol;

/** The states of a connection in either role; docs/protocol.md has the same table. */
public enum EngineState {
    /** Caller: nothing sent yet. */
    IDLE,
    /**
     * Caller: preamble and CONNECT sent, waiting for ACCEPT or REJECT (PENDING may come first); early
     * messages may be sent.
     */
    CONNECTING,
    /** Callee: waiting for the caller's preamble and CONNECT. */
    AWAITING_REQUEST,
    /**
     * Callee: the request arrived; the application has not decided it yet (or deferred it). Early messages
     * from the caller are received.
     */
    REQUESTED,
    /** Both directions open. */
    OPEN,
    /** This side sent DISCONNECT, not yet acknowledged; it still receives until the peer's DISCONNECT. */
    SEND_CLOSED,
    /** The peer acknowledged this side's DISCONNECT; this side still receives until the peer's DISCONNECT. */
    SEND_CONFIRMED,
    /** The peer's DISCONNECT arrived (and was acknowledged); this side may still send until its own DISCONNECT. */
    RECEIVE_CLOSED,
    /** Both DISCONNECTs crossed; this side waits for the acknowledgement of its own. */
    CLOSING,
    /** Terminal: graceful, unconfirmed, refused, reset or aborted, as the close indication says. */
    CLOSED
}
