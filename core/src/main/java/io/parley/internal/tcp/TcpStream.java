package io.parley.internal.tcp;

import io.parley.internal.driver.ByteStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;

/** A connected TCP socket as the driver's {@link ByteStream}. */
final class TcpStream implements ByteStream {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /** Read once, while connected: a closed socket reports the wildcard address. */
    private final SocketAddress localAddress;
    private final SocketAddress remoteAddress;

    /**
     * The stream of a connected socket whose local address is {@code localAddress}, or is to be asked of the
     * socket when null (each query is two system calls, which an accepted socket of a listener bound to one
     * address can spare).
     */
    TcpStream(Socket socket, SocketAddress localAddress) throws IOException {
        socket.setTcpNoDelay(true);
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.localAddress = localAddress != null ? localAddress : socket.getLocalSocketAddress();
        this.remoteAddress = socket.getRemoteSocketAddress();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        return in.read(buffer, offset, length);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        out.write(buffer, offset, length);
    }

    @Override
    public void shutdownInput() throws IOException {
        if (!socket.isClosed() && !socket.isInputShutdown()) {
            socket.shutdownInput();
        }
    }

    /** Linger 0, then close: the kernel discards what is queued and sends RST. */
    @Override
    public void reset() throws IOException {
        try {
            socket.setSoLinger(true, 0);
        } finally {
            socket.close();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public String label() {
        return Integer.toString(socket.getPort());
    }

    @Override
    public String toString() {
        return socket.toString();
    }
}
