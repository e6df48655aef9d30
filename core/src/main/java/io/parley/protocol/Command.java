package io.parley.protocol;

/** The commands an application gives an engine; the state table says where each is legal. */
public enum Command {
    /** Caller: send the preamble and CONNECT. */
    CONNECT,
    /** Callee: accept, reject or defer the request. */
    DECIDE,
    /** Send a message. */
    SEND,
    /** End the sending direction with disconnect data. */
    SEND_DISCONNECT,
    /** End both directions with a reason. */
    ABORT
}
