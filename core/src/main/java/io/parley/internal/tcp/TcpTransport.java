package io.parley.internal.tcp;

import io.parley.AddressFamilyNotSupportedException;
import io.parley.AddressNotAvailableException;
import io.parley.ParleyConnection;
import io.parley.ConnectOptions;
import io.parley.Listener;
import io.parley.ListenOptions;
import io.parley.Transport;
import io.parley.TransportCapabilities;
import io.parley.internal.ConnectErrors;
import io.parley.internal.driver.ConditionalListener;
import io.parley.internal.driver.ConnectionDriver;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Parley over TCP: connect data, disconnect data, graceful close and negotiated QoS, policed by the driver. The
 * connection itself is the driver's; this class only opens sockets and names their failures.
 */
public final class TcpTransport implements Transport {
    private static final TransportCapabilities CAPABILITIES =
            new TransportCapabilities(true, true, true, true, true, true, Integer.MAX_VALUE - 8);

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public TransportCapabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Listener listen(SocketAddress address, ListenOptions options) throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(address, Math.max(50, options.backlog()));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        return new ConditionalListener(new TcpStreamListener(server), options);
    }

    @Override
    public ParleyConnection connect(SocketAddress address, ConnectOptions options) throws IOException {
        byte[] callerData = options.callerData();
        byte[] firstMessage = options.firstMessage().orElse(null);
        ConnectionDriver.requireSendable(callerData, firstMessage);
        requireConnectable(address);
        long timeoutNanos = options.connectTimeout().toNanos();
        long deadline = System.nanoTime() + timeoutNanos;
        Socket socket = new Socket();
        TcpStream stream;
        try {
            socket.connect(address, (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
            stream = new TcpStream(socket, null);
        } catch (IOException e) {
            socket.close();
            if (Thread.currentThread().isInterrupted()) {
                // the JDK closed an interrupted virtual thread's socket, saying only "Closed by interrupt":
                // as when interrupted waiting for the decision, that is an InterruptedIOException
                throw new InterruptedIOException("interrupted while connecting to " + address);
            }
            throw ConnectErrors.of(e, address);
        }
        return ConnectionDriver.connect(stream, options, callerData, firstMessage, deadline);
    }

    /**
     * Refuses, before any system call, an address TCP cannot connect to: another family (WSAEAFNOSUPPORT), or
     * the wildcard address, which Linux would take as this host but Winsock's connect refuses
     * (WSAEADDRNOTAVAIL).
     */
    private static void requireConnectable(SocketAddress address) throws IOException {
        Objects.requireNonNull(address, "address");
        if (!(address instanceof InetSocketAddress inet)) {
            throw new AddressFamilyNotSupportedException("TCP cannot connect to " + address + ", a "
                    + address.getClass().getName() + ": it needs an InetSocketAddress");
        }
        if (!inet.isUnresolved() && inet.getAddress().isAnyLocalAddress()) {
            throw new AddressNotAvailableException("TCP connect to " + address
                    + ": the wildcard address is not one to connect to");
        }
    }
}
