package io.parley.internal.tcp;

import io.parley.internal.driver.ByteStream;
import io.parley.internal.driver.StreamListener;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;

/** A bound TCP server socket as the driver's {@link StreamListener}. */
final class TcpStreamListener implements StreamListener {
    private static final System.Logger LOG = System.getLogger("io.parley.tcp");

    private final ServerSocket server;
    /** Where the listener is bound: asked once, since each query of the socket is a system call. */
    private final SocketAddress localAddress;
    /** The local address of every accepted socket, when the listener is bound to one address; else null. */
    private final SocketAddress acceptedLocalAddress;

    TcpStreamListener(ServerSocket server) {
        this.server = server;
        this.localAddress = server.getLocalSocketAddress();
        this.acceptedLocalAddress = localAddress instanceof InetSocketAddress inet
                && !inet.getAddress().isAnyLocalAddress() ? localAddress : null;
    }

    @Override
    public ByteStream accept() throws IOException {
        Socket socket = server.accept();
        try {
            return new TcpStream(socket, acceptedLocalAddress);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException closing) {
                LOG.log(System.Logger.Level.TRACE, "close failed: {0}", closing.getMessage());
            }
            throw e;
        }
    }

    @Override
    public boolean isClosed() {
        return server.isClosed();
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    @Override
    public String toString() {
        return server.toString();
    }
}
