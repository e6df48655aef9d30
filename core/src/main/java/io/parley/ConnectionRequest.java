package io.parley;

import java.net.SocketAddress;
import java.util.Optional;

/**
 * A pending connection request as the condition sees it (WSAAccept's condition function arguments), before
 * any connection exists.
 */
public interface ConnectionRequest {
    /**
     * The caller id: the caller's address as the transport knows it.
     *
     * @return the caller id: the caller's address as the transport knows it
     */
    SocketAddress callerId();

    /**
     * The callee id: the local address the caller reached.
     *
     * @return the callee id: the local address the caller reached
     */
    SocketAddress calleeId();

    /**
     * The caller data (a copy), possibly empty.
     *
     * @return the caller data (a copy), possibly empty
     */
    byte[] callerData();

    /**
     * The requested QoS, empty when the caller asked for none (then none may be granted).
     *
     * @return the requested QoS, empty when the caller asked for none (then none may be granted)
     */
    Optional<Qos> requestedQos();

    /**
     * The group request, empty when the caller sent none.
     *
     * @return the group request, empty when the caller sent none
     */
    Optional<Group> group();

    /**
     * How many times this request was deferred before this presentation.
     *
     * @return how many times this request was deferred before this presentation
     */
    int deferrals();

    /**
     * The largest callee data the caller accepts.
     *
     * @return the largest callee data the caller accepts
     */
    int maxCalleeData();
}
