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

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Turns the exception the JDK throws for a failed transport connect into the API's Winsock-coded one (C3).
 *
 * <p>The JDK names a few OS errors by type (EHOSTUNREACH is a {@link NoRouteToHostException}); the others it
 * gives as a {@link ConnectException} (ECONNREFUSED, ETIMEDOUT), a {@link java.net.BindException}
 * (EADDRINUSE, EADDRNOTAVAIL, EACCES) or a bare {@link SocketException}, telling them apart only by the
 * system's text for the errno. So the table is matched in order: the types that say it all first, then those
 * texts (Linux's and the BSDs' wording), then a fallback per type. The texts are those of an English locale;
 * elsewhere the fallbacks apply.
 */
public final class ConnectErrors {
    /** Matches any text, also none. */
    private static final String ANY = "";

    /** One row: the JDK's exception type and a fragment of its text (case ignored), and the API's exception. */
    private record Row(Class<? extends IOException> jdkType, String text, Function<String, IOException> parley) {
        boolean matches(IOException e) {
            return jdkType.isInstance(e) && (text.equals(ANY)
                    || (e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains(text)));
        }
    }

    private static final List<Row> TABLE = List.of(
            new Row(SocketTimeoutException.class, ANY, TimedOutException::new), // the connect timeout passed
            new Row(UnknownHostException.class, ANY, HostNotFoundException::new), // an unresolved address
            new Row(NoRouteToHostException.class, ANY, HostUnreachableException::new), // EHOSTUNREACH
            new Row(PortUnreachableException.class, ANY, NoListenerException::new), // ICMP port unreachable
            new Row(SocketException.class, "connection refused", NoListenerException::new), // ECONNREFUSED
            new Row(SocketException.class, "timed out", TimedOutException::new), // ETIMEDOUT: no SYN-ACK
            new Row(SocketException.class, "network is unreachable", NetworkUnreachableException::new),
            // EHOSTDOWN: not among connect's Winsock errors, whose nearest is WSAEHOSTUNREACH
            new Row(SocketException.class, "host is down", HostUnreachableException::new),
            new Row(SocketException.class, "network is down", NetworkDownException::new), // ENETDOWN
            new Row(SocketException.class, "assign requested address", AddressNotAvailableException::new),
            // EINVAL: Linux's answer for a remote address it cannot use (IPv6 link-local without a scope),
            // which Winsock's connect reports as WSAEADDRNOTAVAIL
            new Row(SocketException.class, "invalid argument", AddressNotAvailableException::new),
            new Row(SocketException.class, "address already in use", AddressInUseException::new),
            new Row(SocketException.class, "permission denied", PermissionDeniedException::new), // EACCES
            new Row(SocketException.class, "operation not permitted", PermissionDeniedException::new), // EPERM
            new Row(SocketException.class, "address family not supported", AddressFamilyNotSupportedException::new),
            // the JDK's own text for an IPv6 address when it uses IPv4 only
            new Row(SocketException.class, "protocol family unavailable", AddressFamilyNotSupportedException::new),
            new Row(SocketException.class, "no buffer space available", NoBufferSpaceException::new), // ENOBUFS
            new Row(SocketException.class, "too many open files", TooManyOpenFilesException::new), // EMFILE
            // other texts: the JDK documents a ConnectException as typically a refusal
            new Row(ConnectException.class, ANY, NoListenerException::new),
            new Row(IOException.class, ANY, NetworkDownException::new));

    private ConnectErrors() {
    }

    /**
     * The API's exception for a failed TCP connect to {@code address}: its message keeps the address and the
     * system's text, and its cause is {@code jdk}.
     *
     * @param jdk     what the JDK threw from creating, configuring or connecting the socket
     * @param address the address connected to
     * @return the Winsock-coded exception of the first matching row
     */
    public static IOException of(IOException jdk, SocketAddress address) {
        Row row = TABLE.stream().filter(r -> r.matches(jdk)).findFirst().orElseThrow();
        IOException parley = row.parley().apply("TCP connect to " + address + ": " + jdk.getMessage());
        parley.initCause(jdk);
        return parley;
    }
}
