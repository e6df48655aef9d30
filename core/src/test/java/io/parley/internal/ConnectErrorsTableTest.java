package io.parley.internal;

import io.parley.AddressFamilyNotSupportedException;
import io.parley.AddressInUseException;
import io.parley.AddressNotAvailableException;
import io.parley.HostNotFoundException;
import io.parley.HostUnreachableException;
import io.parley.NetworkDownException;
import io.parley.NetworkUnreachableException;
import io.parley.NoBufferSpaceException;
import io.parley.NoListenerException;
import io.parley.PermissionDeniedException;
import io.parley.TimedOutException;
import io.parley.TooManyOpenFilesException;
import io.parley.WinsockCoded;
import io.parley.WinsockError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * C3: every row of {@link ConnectErrors}' table, with the exception the JDK throws for it (from a real system
 * call where this machine can make one fail so, else built as the JDK builds it: its type and the system's
 * text for the errno), maps to its Winsock-coded exception; the texts of other systems and unknown texts
 * take the fallbacks.
 */
class ConnectErrorsTableTest {
    private static final InetSocketAddress ADDRESS = new InetSocketAddress(InetAddress.getLoopbackAddress(), 7);

    /** An action that is to fail. */
    private interface Failing {
        void run() throws IOException;
    }

    private static IOException thrownBy(Failing action) {
        return assertThrows(IOException.class, action::run);
    }

    private static Arguments row(String what, IOException jdk, Class<? extends IOException> parley,
            WinsockError code) {
        return arguments(what, jdk, parley, code);
    }

    /** The table's rows in its order, then other systems' texts and the fallbacks. */
    static Stream<Arguments> rows() {
        return Stream.of(
                row("the connect timeout passed", new SocketTimeoutException("Connect timed out"),
                        TimedOutException.class, WinsockError.WSAETIMEDOUT),
                row("an unresolved address (real)", thrownBy(() -> connect(
                        InetSocketAddress.createUnresolved("no-such-host.invalid", 1))),
                        HostNotFoundException.class, WinsockError.WSAHOST_NOT_FOUND),
                row("EHOSTUNREACH", new NoRouteToHostException("No route to host"),
                        HostUnreachableException.class, WinsockError.WSAEHOSTUNREACH),
                row("ICMP port unreachable (real, UDP)", thrownBy(ConnectErrorsTableTest::udpToAClosedPort),
                        NoListenerException.class, WinsockError.WSAECONNREFUSED),
                row("ECONNREFUSED (real)", thrownBy(() -> connect(closedPort())),
                        NoListenerException.class, WinsockError.WSAECONNREFUSED),
                row("ETIMEDOUT", new ConnectException("Connection timed out"),
                        TimedOutException.class, WinsockError.WSAETIMEDOUT),
                row("ENETUNREACH", new SocketException("Network is unreachable"),
                        NetworkUnreachableException.class, WinsockError.WSAENETUNREACH),
                row("EHOSTDOWN", new SocketException("Host is down"),
                        HostUnreachableException.class, WinsockError.WSAEHOSTUNREACH),
                row("ENETDOWN", new SocketException("Network is down"),
                        NetworkDownException.class, WinsockError.WSAENETDOWN),
                row("EADDRNOTAVAIL (real: bind to TEST-NET-2)", thrownBy(() -> bind(
                        new InetSocketAddress("198.51.100.1", 0))),
                        AddressNotAvailableException.class, WinsockError.WSAEADDRNOTAVAIL),
                row("EINVAL", new SocketException("Invalid argument"),
                        AddressNotAvailableException.class, WinsockError.WSAEADDRNOTAVAIL),
                row("EADDRINUSE (real)", thrownBy(ConnectErrorsTableTest::bindToAPortInUse),
                        AddressInUseException.class, WinsockError.WSAEADDRINUSE),
                row("EACCES", new BindException("Permission denied"),
                        PermissionDeniedException.class, WinsockError.WSAEACCES),
                row("EPERM", new SocketException("Operation not permitted"),
                        PermissionDeniedException.class, WinsockError.WSAEACCES),
                row("EAFNOSUPPORT", new SocketException("Address family not supported by protocol"),
                        AddressFamilyNotSupportedException.class, WinsockError.WSAEAFNOSUPPORT),
                row("an IPv6 address on an IPv4-only JVM", new SocketException("IPv6 protocol family unavailable"),
                        AddressFamilyNotSupportedException.class, WinsockError.WSAEAFNOSUPPORT),
                row("ENOBUFS", new SocketException("No buffer space available"),
                        NoBufferSpaceException.class, WinsockError.WSAENOBUFS),
                row("EMFILE", new SocketException("Too many open files"),
                        TooManyOpenFilesException.class, WinsockError.WSAEMFILE),
                row("a ConnectException with another text", new ConnectException("Connexion refusée"),
                        NoListenerException.class, WinsockError.WSAECONNREFUSED),
                row("a SocketException with another text", new SocketException("Protocol wrong type for socket"),
                        NetworkDownException.class, WinsockError.WSAENETDOWN),
                row("ETIMEDOUT (BSD text)", new ConnectException("Operation timed out"),
                        TimedOutException.class, WinsockError.WSAETIMEDOUT),
                row("EADDRNOTAVAIL (BSD text)", new BindException("Can't assign requested address"),
                        AddressNotAvailableException.class, WinsockError.WSAEADDRNOTAVAIL),
                row("a BindException with another text", new BindException("Adresse déjà utilisée"),
                        NetworkDownException.class, WinsockError.WSAENETDOWN),
                row("a SocketException without text", new SocketException((String) null),
                        NetworkDownException.class, WinsockError.WSAENETDOWN),
                row("another IOException", new IOException("unexpected"),
                        NetworkDownException.class, WinsockError.WSAENETDOWN));
    }

    @ParameterizedTest(name = "c3_{0}")
    @MethodSource("rows")
    void c3_eachJdkFailureMapsToItsWinsockCodedException(String what, IOException jdk,
            Class<? extends IOException> parley, WinsockError code) {
        IOException mapped = ConnectErrors.of(jdk, ADDRESS);

        assertThat(mapped).isExactlyInstanceOf(parley).hasCause(jdk)
                .hasMessageContaining(ADDRESS.toString())
                .hasMessageContaining(String.valueOf(jdk.getMessage()));
        assertThat(((WinsockCoded) mapped).winsockError()).isEqualTo(code);
    }

    private static void connect(InetSocketAddress address) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, 5_000);
        }
    }

    private static void bind(InetSocketAddress address) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(address);
        }
    }

    private static InetSocketAddress closedPort() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
        }
    }

    private static void bindToAPortInUse() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
        }
    }

    /** A datagram to a closed UDP port on loopback: the ICMP answer fails the next receive. */
    private static void udpToAClosedPort() throws IOException {
        InetSocketAddress closed;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            closed = new InetSocketAddress(InetAddress.getLoopbackAddress(), probe.getLocalPort());
        }
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.connect(closed);
            socket.setSoTimeout(5_000);
            socket.send(new DatagramPacket(new byte[1], 1));
            socket.receive(new DatagramPacket(new byte[1], 1));
        }
    }
}
