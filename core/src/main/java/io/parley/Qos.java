package io.parley;

import java.util.Objects;

/**
 * Quality of service for a connection, as Winsock's QOS: a flow spec for each direction, always seen from
 * the caller's side (sending = caller to callee).
 *
 * @param sending   the caller-to-callee direction
 * @param receiving the callee-to-caller direction
 */
public record Qos(FlowSpec sending, FlowSpec receiving) {

    /** Both directions are required. */
    public Qos {
        Objects.requireNonNull(sending, "sending");
        Objects.requireNonNull(receiving, "receiving");
    }

    /**
     * True if this granted QoS asks for no more than {@code requested} in either direction.
     *
     * @param requested the requested QoS
     * @return whether this grant stays within the request
     */
    public boolean doesNotExceed(Qos requested) {
        return sending.doesNotExceed(requested.sending) && receiving.doesNotExceed(requested.receiving);
    }
}
