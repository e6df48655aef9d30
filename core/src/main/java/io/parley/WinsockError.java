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
    /** An operation of the same kind is already in progress, such as a QoS request not answered yet. */
    WSAEALREADY(10037),
    /** The socket (connection or listener) was closed by this side; it cannot be used any more. */
    WSAENOTSOCK(10038),
    /** An argument was invalid, for example a granted QoS higher than the one requested. */
    WSAEINVAL(10022),
    /**
     * Permission denied: a pending request was withdrawn or timed out before it was accepted, or the system
     * forbids the connection (a broadcast destination, a firewall rule).
     */
    WSAEACCES(10013),
    /** Too many open sockets: the process or the system has no descriptor left for a new one. */
    WSAEMFILE(10024),
    /** The message is larger than the limit that applies to it. */
    WSAEMSGSIZE(10040),
    /** The protocol option or capability is not available on this transport. */
    WSAENOPROTOOPT(10042),
    /** The protocol (or protocol version, or a requested capability) is not supported. */
    WSAEPROTONOSUPPORT(10043),
    /** The operation is not supported, for example a QoS the transport cannot honour. */
    WSAEOPNOTSUPP(10045),
    /** The address belongs to a family this transport (or this machine's network stack) cannot use. */
    WSAEAFNOSUPPORT(10047),
    /** The address is already in use: no two sockets may have the same local address and remote address. */
    WSAEADDRINUSE(10048),
    /** The address is not valid in its context: a remote address such as the wildcard, or no local one free. */
    WSAEADDRNOTAVAIL(10049),
    /** The network subsystem failed: the network stack reported an error that has no more precise code. */
    WSAENETDOWN(10050),
    /** The network cannot be reached from this host: no route to it. */
    WSAENETUNREACH(10051),
    /** The connection was aborted locally: transport lost, protocol violation or timeout. */
    WSAECONNABORTED(10053),
    /** The connection was reset by the peer. */
    WSAECONNRESET(10054),
    /** No buffer space: the system lacked the memory or a queue was full. */
    WSAENOBUFS(10055),
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
    /** The host cannot be reached: the network is, but the host does not answer there (or is down). */
    WSAEHOSTUNREACH(10065),
    /** A graceful shutdown is in progress: the peer has ended its sending. */
    WSAEDISCON(10101),
    /** No such host is known: the address is a name that was not resolved. */
    WSAHOST_NOT_FOUND(11001),
    /** A non-blocking decision is pending; try again (a deferred connection request). */
    WSATRY_AGAIN(11002);

    private final int code;

    WinsockError(int code) {
        this.code = code;
    }

    /**
     * The numeric error code as defined in winsock2.h.
     *
     * @return the numeric error code as defined in winsock2.h
     */
    public int code() {
        return code;
    }
}
