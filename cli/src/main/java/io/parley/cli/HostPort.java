package io.parley.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Parses and prints {@code HOST:PORT} (IPv6 hosts in brackets: {@code [::1]:7000}). */
final class HostPort {

    private HostPort() {
    }

    /** Parses {@code HOST:PORT}, resolving the host; the port must be 1 to 65535. */
    static InetSocketAddress parse(String text) throws UsageException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new UsageException("expected HOST:PORT, not '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UsageException("the port in '" + text + "' is not a number");
        }
        if (port < 1 || port > 65535) {
            throw new UsageException("the port in '" + text + "' must be between 1 and 65535");
        }
        return new InetSocketAddress(resolve(host), port);
    }

    /** Resolves a host name or address literal. */
    static InetAddress resolve(String host) throws UsageException {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new UsageException("unknown host '" + host + "'");
        }
    }

    /** {@code HOST:PORT} of a socket address, with the host as an address literal. */
    static String format(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
