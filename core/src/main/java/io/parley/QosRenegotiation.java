package io.parley;

import java.util.Optional;

/**
 * Decides the peer's request for a new QoS during a connection (its SIO_SET_QOS), like a condition decides
 * a connection request: it sees what is asked and grants at most that, field for field as for an accept
 * ({@link Qos#doesNotExceed}), or refuses. Runs on the thread that reads the connection, so it should return
 * fast. A grant the transport cannot honour is refused with QOS_NOT_SUPPORTED; one above the request, a null
 * decision or one that throws, with CONDITION_FAILED.
 */
@FunctionalInterface
public interface QosRenegotiation {

    /** Refuses every request (REFUSED): the default, so that a connection's QoS changes only when allowed. */
    QosRenegotiation REFUSE = (requested, current) -> Optional.empty();

    /** Grants every request as asked (within what the transport can honour). */
    QosRenegotiation GRANT_AS_REQUESTED = (requested, current) -> Optional.of(requested);

    /**
     * Decides one request.
     *
     * @param requested the QoS the peer asks for, from the caller's point of view
     * @param current   the connection's QoS now, empty if it has none
     * @return the granted QoS, from then on the connection's; empty refuses (REFUSED) and changes nothing
     */
    Optional<Qos> decide(Qos requested, Optional<Qos> current);
}
