package io.parley.internal;

import io.parley.ConnectionRequest;
import io.parley.Group;
import io.parley.Qos;

import java.net.SocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable view of a pending request, handed to conditions and reported in accept results.
 *
 * @param callerId      the caller's address
 * @param calleeId      the local address the caller reached
 * @param callerData    the caller data (copied in, copied out)
 * @param requestedQos  the requested QoS, empty for none
 * @param group         the group request, empty for none
 * @param deferrals     how many times the request was deferred before
 * @param maxCalleeData the largest callee data the caller accepts
 */
public record RequestSnapshot(SocketAddress callerId, SocketAddress calleeId, byte[] callerData,
                              Optional<Qos> requestedQos, Optional<Group> group, int deferrals,
                              int maxCalleeData) implements ConnectionRequest {

    /** Copies the caller data. */
    public RequestSnapshot {
        Objects.requireNonNull(callerId, "callerId");
        Objects.requireNonNull(calleeId, "calleeId");
        callerData = callerData.clone();
        Objects.requireNonNull(requestedQos, "requestedQos");
        Objects.requireNonNull(group, "group");
    }

    @Override
    public byte[] callerData() {
        return callerData.clone();
    }
}
