package io.parley.internal;

import io.parley.ConnectionRequest;
import io.parley.Group;
import io.parley.Qos;

import java.net.SocketAddress;
import java.util.Optional;

/** An immutable view of a pending request, handed to conditions. */
public record RequestSnapshot(SocketAddress callerId, SocketAddress calleeId, byte[] data, Qos qos, Group groupRequest,
                              int deferrals, int maxCalleeData) implements ConnectionRequest {

    @Override
    public byte[] callerData() {
        return data.clone();
    }

    @Override
    public Optional<Qos> requestedQos() {
        return Optional.ofNullable(qos);
    }

    @Override
    public Optional<Group> group() {
        return Optional.ofNullable(groupRequest);
    }
}
