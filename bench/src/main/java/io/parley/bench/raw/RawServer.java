package io.parley.bench.raw;

import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Loopback;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A blocking JDK server socket: one thread accepts, each connection is served on its own virtual thread. */
final class RawServer implements AutoCloseable {
    private final ServerSocket listener;
    private final Thread acceptor;

    /** What the server does with one accepted socket (it is closed afterwards). */
    @FunctionalInterface
    interface Handler {
        void serve(Socket socket) throws Exception;
    }

    RawServer(Handler handler, FailureLatch failures) throws IOException {
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(Loopback.anyPort(), 1024);
        acceptor = Thread.ofVirtual().name("raw-acceptor").start(() -> {
            while (true) {
                Socket socket;
                try {
                    socket = listener.accept();
                } catch (IOException e) {
                    if (!listener.isClosed()) {
                        failures.fail(e);
                    }
                    return;
                }
                Thread.ofVirtual().start(() -> {
                    try (socket) {
                        socket.setTcpNoDelay(true);
                        handler.serve(socket);
                    } catch (Throwable t) {
                        failures.fail(t);
                    }
                });
            }
        });
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** A connected client socket with TCP_NODELAY, as every other implementation has. */
    static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, 10_000);
        return socket;
    }

    @Override
    public void close() throws Exception {
        listener.close();
        acceptor.join();
    }
}
