package io.parley;

/**
 * What a transport can do, as WSAPROTOCOL_INFO's service flags (XP1_*): applications choose a transport
 * by these, and a request for a missing capability fails instead of being silently ignored.
 *
 * @param connectData     XP1_CONNECT_DATA: caller and callee data
 * @param disconnectData  XP1_DISCONNECT_DATA: disconnect data
 * @param gracefulClose   XP1_GRACEFUL_CLOSE: two-way graceful close
 * @param qos             XP1_QOS_SUPPORTED: QoS is negotiated
 * @param qosEnforced     whether the granted QoS is also enforced (policed) by the transport
 * @param messageOriented XP1_MESSAGE_ORIENTED: message boundaries are kept
 * @param maxMessageSize  the largest message the transport carries
 */
public record TransportCapabilities(boolean connectData, boolean disconnectData, boolean gracefulClose,
                                    boolean qos, boolean qosEnforced, boolean messageOriented,
                                    long maxMessageSize) {
}
