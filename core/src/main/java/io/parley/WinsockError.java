package io.parley;

/**
 * The Windows Sockets error that a Parley outcome corresponds to, with its numeric code from winsock2.h.
 * Every Parley exception and every close indication names one, so that behaviour can be checked against
 * the Winsock documentation.
 */
public enum WinsockError {
    /** No error: the operation or close was successful (graceful). */
    NO_ERROR(0),
    /** The operation would block; the non-blocking call returned without result. */
    WSAEWOULDBLOCK(10035),
    /** The socket (connection or listener) was closed by this side; it cannot be used any more. */
    WSAENOTSOCK(10038),
    /** An argument was invalid, for example a granted QoS higher than the one requested. */
    WSAEINVAL(10022),
    /** Permission denied: a pending request was withdrawn or timed out before it was accepted. */
    WSAEACCES(10013),
    /** The message is larger than the limit that applies to it. */
    WSAEMSGSIZE(10040),
    /** The protocol option or capability is not available on this transport. */
    WSAENOPROTOOPT(10042),
    /** The protocol (or protocol version, or a requested capability) is not supported. */
    WSAEPROTONOSUPPORT(10043),
    /** The operation is not supported, for example a QoS the transport cannot honour. */
    WSAEOPNOTSUPP(10045),
    /** The connection was aborted locally: transport lost, protocol violation or timeout. */
    WSAECONNABORTED(10053),
    /** The connection was reset by the peer. */
    WSAECONNRESET(10054),
    /** The socket is already connected. */
    WSAEISCONN(10056),
    /** The socket is not connected (yet, or any more). */
    WSAENOTCONN(10057),
    /** The direction was shut down; no further sends (or receives) are possible. */
    WSAESHUTDOWN(10058),
    /** No answer arrived in time. */
    WSAETIMEDOUT(10060),
    /** The connection request was refused. */
    WSAECONNREFUSED(10061),
    /** A graceful shutdown is in progress: the peer has ended its sending. */
    WSAEDISCON(10101),
    /** A non-blocking decision is pending; try again (a deferred connection request). */
    WSATRY_AGAIN(11002);

    private final int code;

    WinsockError(int code) {
        this.code = code;
    }

    /** The numeric error code as defined in winsock2.h. */
    public int code() {
        return code;
    }
}
