/**
 * The sans-I/O Parley protocol: the wire codec ({@link io.parley.protocol.FrameDecoder},
 * {@link io.parley.protocol.FrameEncoder}) and the per-connection state machine
 * ({@link io.parley.protocol.ProtocolEngine}). Nothing here performs I/O, starts a thread or reads a clock:
 * bytes and commands go in, events and bytes come out, and time is passed in by the caller. Transports
 * (TCP, and later TLS, Unix domain sockets, Netty) drive it; docs/protocol.md specifies what it speaks.
 */
package io.parley.protocol;
