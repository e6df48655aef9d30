/**
 * Parley: connections with a negotiated start and an acknowledged end (the Winsock 2 connection model).
 *
 * <p>Exported: {@code io.parley}, the application API (transports, listeners, connections, conditions,
 * options, value types and exceptions), and {@code io.parley.protocol}, the sans-I/O protocol engine that
 * transports drive (it is public API for writing a transport of one's own). The transports' implementations
 * live in {@code io.parley.internal} and are not exported. No dependency beyond {@code java.base}.
 */
module io.parley {
    exports io.parley;
    exports io.parley.protocol;
}
