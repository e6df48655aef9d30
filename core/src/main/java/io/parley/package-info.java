/**
 * Parley's application API: the Windows Sockets 2 connection model (conditional accept, connect and
 * disconnect data, an acknowledged end) over real transports.
 *
 * <p>{@link io.parley.Parley#tcp()} gives a {@link io.parley.Transport}. A server listens
 * ({@link io.parley.Transport#listen}) and presents each pending request to an
 * {@link io.parley.AcceptCondition} ({@link io.parley.Listener#accept(AcceptCondition)}, WSAAccept), which
 * answers with a {@link io.parley.Decision}: accept (with callee data and a granted QoS), reject (with a
 * reason code and reason data) or defer. Every accept returns an {@link io.parley.AcceptResult}, one case per
 * outcome with its Winsock code; only failures of the accept itself (the listener closed, no request in
 * time, interruption) are exceptions. A client connects ({@link io.parley.Transport#connect}, WSAConnect)
 * and gets a {@link io.parley.ParleyConnection}: messages both ways, then each side's disconnect data
 * (WSASendDisconnect, WSARecvDisconnect) and the close indication and termination futures.
 *
 * <p>The rules every type here follows:
 * <ul>
 *   <li>Values are immutable: records and option objects copy the arrays they are given, and every
 *       accessor that returns an array returns a copy.</li>
 *   <li>An absent value is an empty {@link java.util.Optional}, never null. The one sentinel is
 *       {@link io.parley.ParleyConnection#receive()}, which returns null once the peer's disconnect arrived,
 *       as recv() returns 0.</li>
 *   <li>Builders start from safe defaults (4 KiB of user data, a 10 s connect and handshake timeout,
 *       closing returns at once and still delivers) and reject null.</li>
 *   <li>Every exception is an {@link java.io.IOException} subtype that names its Winsock error
 *       ({@link io.parley.WinsockCoded}); each is final or sealed. Programming errors (a local-only reason,
 *       an invalid argument) are unchecked.</li>
 * </ul>
 */
package io.parley;
