package io.parley;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * A transport provider: carries Parley connections over one kind of byte stream and says what it can do
 * (WSAEnumProtocols). {@link Parley#tcp()} gives the TCP one.
 */
public interface Transport {

    /** A short name, such as "tcp". */
    String name();

    /** What this transport can do. */
    TransportCapabilities capabilities();

    /** Starts listening on {@code address} (port 0 picks a free port). */
    Listener listen(SocketAddress address, ListenOptions options) throws IOException;

    /**
     * Connects (WSAConnect): returns once the callee accepted, with its callee data and granted QoS.
     *
     * @throws ConnectionRefusedException   the callee refused, with its reason
     * @throws NoListenerException          nothing listens at the address
     * @throws TimedOutException            no decision within the connect timeout (deferrals included)
     * @throws UnsupportedProtocolException the peer is not a Parley peer, or shares no version
     * @throws MessageTooLargeException     the caller data exceeds the limit; nothing was sent
     */
    ParleyConnection connect(SocketAddress address, ConnectOptions options) throws IOException;
}
