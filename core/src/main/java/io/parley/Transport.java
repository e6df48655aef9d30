package io.parley;

import io.parley.internal.events.BackgroundConnect;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * A transport provider: carries Parley connections over one kind of byte stream and says what it can do
 * (WSAEnumProtocols). {@link Parley#tcp()} gives the TCP one.
 */
public interface Transport {

    /**
     * A short name, such as "tcp".
     *
     * @return the name, such as "tcp"
     */
    String name();

    /**
     * What this transport can do.
     *
     * @return what this transport can do
     */
    TransportCapabilities capabilities();

    /**
     * Starts listening on {@code address} (port 0 picks a free port).
     *
     * @param address where to listen
     * @param options the backlog, handshake timeout and settings of accepted connections
     * @return the listener, now accepting transport connections
     * @throws AddressInUseException        another socket holds the address
     * @throws AddressNotAvailableException the address is not this host's
     * @throws IOException                  any other failure of the transport
     */
    Listener listen(SocketAddress address, ListenOptions options) throws IOException;

    /**
     * Connects (WSAConnect): returns once the callee accepted, with its callee data and granted QoS. Every
     * failure names its Winsock error [C3].
     *
     * @param address the callee's address
     * @param options caller data, QoS and group requests, first message, timeout and settings
     * @return the open connection
     * @throws ConnectionRefusedException   the callee refused, with its reason
     * @throws NoListenerException          nothing listens at the address
     * @throws TimedOutException            no decision within the connect timeout (deferrals included)
     * @throws UnsupportedProtocolException the peer is not a Parley peer, or shares no version
     * @throws MessageTooLargeException     the caller data exceeds the protocol's maximum; nothing was sent
     * @throws NetworkUnreachableException  no route to the network (WSAENETUNREACH)
     * @throws HostUnreachableException     no route to the host (WSAEHOSTUNREACH)
     * @throws HostNotFoundException        the host name does not resolve (WSAHOST_NOT_FOUND)
     * @throws AddressNotAvailableException the address cannot be connected to (WSAEADDRNOTAVAIL)
     * @throws AddressFamilyNotSupportedException the transport does not carry that kind of address
     * @throws java.io.InterruptedIOException the connecting thread was interrupted; the request was withdrawn
     * @throws IOException                  any other failure, each as its Winsock-coded subtype
     */
    ParleyConnection connect(SocketAddress address, ConnectOptions options) throws IOException;

    /**
     * Starts a connect without blocking (a non-blocking WSAConnect): it runs in the background and ends as
     * {@link #connect} would; register the result with an {@link EventWaiter} for its FD_CONNECT [C4].
     *
     * @param address the callee's address
     * @param options as for {@link #connect}
     * @return the connect in progress
     */
    default PendingConnect startConnect(SocketAddress address, ConnectOptions options) {
        return BackgroundConnect.start(this, address, options);
    }
}
