/**
 * The sans-I/O Parley protocol: the wire codec ({@link io.parley.protocol.FrameDecoder},
 * {@link io.parley.protocol.FrameEncoder}) and the per-connection state machine
 * ({@link io.parley.protocol.ProtocolEngine}). Nothing here performs I/O, starts a thread or reads a clock:
 * bytes and commands go in, events and bytes come out, and time is passed in by the caller. Transports
 * (TCP, and later TLS, Unix domain sockets, Netty) drive it; docs/protocol.md specifies what it speaks.
 *
 * <p>The rules every type here follows, as in {@link io.parley}:
 * <ul>
 *   <li>Values are immutable: frames and events copy the arrays they are given, and every accessor that
 *       returns an array returns a copy ({@link io.parley.protocol.WireFormat#magic()} too). The engine
 *       encodes the arrays a command is given at once and keeps none of them. The one array handed over
 *       without a copy is a message taken with {@link io.parley.protocol.ProtocolEngine#pollMessage()}: the
 *       engine no longer holds it, so it belongs to the caller. (The buffer
 *       {@link io.parley.protocol.ProtocolEngine#takeOutput()} lends is the engine's own, to be read until it
 *       is released.)</li>
 *   <li>An absent value is an empty {@link java.util.Optional}, in record components, return values and
 *       parameters alike (an absent QoS or group given to
 *       {@link io.parley.protocol.ProtocolEngine#connect} or {@link io.parley.protocol.ProtocolEngine#accept}
 *       is {@code Optional.empty()}, never null). The exceptions are the polls, which return null when there is
 *       nothing to take right now, as {@link java.util.Queue#poll()} does:
 *       {@link io.parley.protocol.ProtocolEngine#pollEvent()}, {@link io.parley.protocol.ProtocolEngine#pollMessage()},
 *       {@link io.parley.protocol.ProtocolEngine#takeOutput()} and
 *       {@link io.parley.protocol.FrameDecoder#next}.</li>
 * </ul>
 */
package io.parley.protocol;
